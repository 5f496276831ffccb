<?xml version="1.0" encoding="UTF-8"?>
<!--
  Shared by the listing stylesheets (home, calendar, collections, correspondents,
  registers, archives, search). Their source is the catalogue that pipeline/html.py
  builds from catalogue.xsl's entries:

    <site>
      <edition title subtitle publisher year licence-name licence-url>
        <credit role/>* <introduction/>? <principles/>? <how-to-cite/>?
      </edition>
      <source id title subtitle year based-on site file count>
        <compiler/>* <editor/>* <licence name url/>? <notes/>?
      </source>*
      <entry …/>*            (catalogue.xsl, in calendar order, @order = 1, 2, …)
    </site>

  Each listing stylesheet returns a JSON map {href: serialised page}.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:h="https://edition-pipeline.example/ns/html"
    exclude-result-prefixes="#all">

  <xsl:import href="shell.xsl"/>

  <xsl:output method="json" encoding="UTF-8"/>

  <!-- {register id: preferred name}: registers.xsl's names, passed on by Python -->
  <xsl:param name="register-names" as="xs:string" select="'{}'"/>
  <xsl:variable name="names" as="map(*)" select="parse-json($register-names)"/>

  <!-- rows per page of a list (edition.yaml web: page_size): nothing in the site grows
       with the edition as one page -->
  <xsl:param name="page-size" as="xs:string" select="'500'"/>
  <xsl:variable name="rows-per-page" as="xs:integer" select="max((1, xs:integer($page-size)))"/>

  <xsl:key name="source" match="/site/source" use="@id"/>

  <!-- ===== pages of a list ===== -->

  <!-- The address of page $n of a list whose first page is $first (a path or a file name):
       the first keeps its address, the others add "-p<n>": calendar.html, calendar-p2.html. -->
  <xsl:function name="h:page-href" as="xs:string">
    <xsl:param name="first" as="xs:string"/>
    <xsl:param name="n" as="xs:integer"/>
    <xsl:sequence select="if ($n le 1) then $first else replace($first, '\.html$', '') || '-p' || $n || '.html'"/>
  </xsl:function>

  <xsl:function name="h:page-count" as="xs:integer">
    <xsl:param name="rows" as="xs:integer"/>
    <xsl:sequence select="max((1, ($rows + $rows-per-page - 1) idiv $rows-per-page))"/>
  </xsl:function>

  <!-- the page that shows row $i (from 1) -->
  <xsl:function name="h:page-of" as="xs:integer">
    <xsl:param name="i" as="xs:integer"/>
    <xsl:sequence select="($i - 1) idiv $rows-per-page + 1"/>
  </xsl:function>

  <!-- the rows of page $n -->
  <xsl:function name="h:page-rows" as="item()*">
    <xsl:param name="rows" as="item()*"/>
    <xsl:param name="n" as="xs:integer"/>
    <xsl:sequence select="subsequence($rows, ($n - 1) * $rows-per-page + 1, $rows-per-page)"/>
  </xsl:function>

  <!-- " (page 2 of 7)" for titles and captions; '' for a list of one page -->
  <xsl:function name="h:page-label" as="xs:string">
    <xsl:param name="n" as="xs:integer"/>
    <xsl:param name="count" as="xs:integer"/>
    <xsl:sequence select="if ($count gt 1) then ' (page ' || $n || ' of ' || $count || ')' else ''"/>
  </xsl:function>

  <!-- Links between the pages of a list: previous, every page (the current one marked
       aria-current), next; plain links, so they work without JavaScript and by keyboard.
       $first is page 1's file name relative to the page itself. Nothing for one page. -->
  <xsl:template name="h:pager">
    <xsl:param name="first" as="xs:string"/>
    <xsl:param name="n" as="xs:integer"/>
    <xsl:param name="count" as="xs:integer"/>
    <xsl:param name="label" as="xs:string"/>
    <xsl:if test="$count gt 1">
      <nav class="pager" aria-label="{$label}">
        <ul>
          <li class="pager-prev">
            <xsl:choose>
              <xsl:when test="$n gt 1"><a href="{h:page-href($first, $n - 1)}" rel="prev">← Previous page</a></xsl:when>
              <xsl:otherwise><span class="pager-none">← Previous page</span></xsl:otherwise>
            </xsl:choose>
          </li>
          <xsl:for-each select="1 to $count">
            <li>
              <xsl:choose>
                <xsl:when test=". eq $n"><a href="{h:page-href($first, .)}" aria-current="page" aria-label="Page {.}, this page"><xsl:value-of select="."/></a></xsl:when>
                <xsl:otherwise><a href="{h:page-href($first, .)}" aria-label="Page {.}"><xsl:value-of select="."/></a></xsl:otherwise>
              </xsl:choose>
            </li>
          </xsl:for-each>
          <li class="pager-next">
            <xsl:choose>
              <xsl:when test="$n lt $count"><a href="{h:page-href($first, $n + 1)}" rel="next">Next page →</a></xsl:when>
              <xsl:otherwise><span class="pager-none">Next page →</span></xsl:otherwise>
            </xsl:choose>
          </li>
        </ul>
      </nav>
    </xsl:if>
  </xsl:template>
  <xsl:key name="entry" match="/site/entry" use="@id"/>

  <xsl:function name="h:collection-title" as="xs:string">
    <xsl:param name="entry" as="element(entry)"/>
    <xsl:sequence select="string((key('source', $entry/@source, root($entry))/@title, $entry/@source)[1])"/>
  </xsl:function>

  <!-- A collection's short name for tables: its title up to the first separator. -->
  <xsl:function name="h:collection-short" as="xs:string">
    <xsl:param name="source" as="element(source)?"/>
    <xsl:sequence select="string(($source/@short, $source/@title, $source/@id)[1])"/>
  </xsl:function>

  <!-- "sender → addressee" as printed, or '' -->
  <xsl:function name="h:from-to" as="xs:string">
    <xsl:param name="entry" as="element(entry)"/>
    <xsl:variable name="s" select="string-join($entry/sender, '; ')"/>
    <xsl:variable name="a" select="string-join($entry/addressee, '; ')"/>
    <xsl:sequence select="if ($s or $a) then ($s[.], '?')[1] || ' → ' || ($a[.], '?')[1] else ''"/>
  </xsl:function>

  <!-- The table of documents: calendar, collection pages. Sortable by JavaScript
       (edition.js) on the columns with a button; in date order without it. -->
  <xsl:template name="h:document-table">
    <xsl:param name="entries" as="element(entry)*"/>
    <xsl:param name="base" as="xs:string" select="''"/>
    <xsl:param name="caption" as="xs:string"/>
    <xsl:param name="year-anchors" as="xs:boolean" select="false()"/>
    <xsl:param name="show-collection" as="xs:boolean" select="true()"/>
    <!-- true when $entries are in date order (the Date column says so to screen readers) -->
    <xsl:param name="sorted" as="xs:boolean" select="true()"/>
    <table class="documents sortable">
      <caption><xsl:value-of select="$caption"/></caption>
      <thead>
        <tr>
          <th scope="col" data-key="date">
            <xsl:if test="$sorted"><xsl:attribute name="aria-sort" select="'ascending'"/></xsl:if><button type="button">Date</button></th>
          <th scope="col" data-key="n"><button type="button">No.</button></th>
          <th scope="col">Document</th>
          <th scope="col" data-key="type"><button type="button">Type</button></th>
          <th scope="col" data-key="place"><button type="button">Place</button></th>
          <th scope="col">From → to</th>
          <xsl:if test="$show-collection">
            <th scope="col" data-key="coll"><button type="button">Collection</button></th>
          </xsl:if>
        </tr>
      </thead>
      <tbody>
        <xsl:for-each select="$entries">
          <xsl:variable name="year" select="substring(@date, 1, 4)"/>
          <xsl:variable name="first-of-year" select="$year-anchors and $year and
              not(preceding-sibling::entry[1][substring(@date, 1, 4) = $year])"/>
          <tr data-date="{if (@date != '') then @date else '9999'}" data-order="{@order}"
              data-n="{if (@n castable as xs:integer) then format-number(xs:integer(@n), '000000') else @n}"
              data-type="{@type}" data-place="{@place}" data-coll="{@source}">
            <xsl:if test="$first-of-year"><xsl:attribute name="id" select="'y' || $year"/></xsl:if>
            <td class="date">
              <xsl:choose>
                <xsl:when test="matches(@date, '^\d{4}(-\d{2}(-\d{2})?)?$')"><time datetime="{@date}"><xsl:value-of select="@date-label"/></time></xsl:when>
                <xsl:otherwise><xsl:value-of select="@date-label"/></xsl:otherwise>
              </xsl:choose>
            </td>
            <td class="num"><xsl:value-of select="@n"/></td>
            <td class="title"><a href="{$base}documents/{@id}.html"><xsl:value-of select="title"/></a></td>
            <td class="type"><xsl:value-of select="@type"/></td>
            <td class="place"><xsl:value-of select="@place"/></td>
            <td class="fromto"><xsl:value-of select="h:from-to(.)"/></td>
            <xsl:if test="$show-collection">
              <td class="coll"><a href="{$base}collections/{@source}.html"><xsl:value-of select="upper-case(@source)"/></a></td>
            </xsl:if>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
  </xsl:template>

  <!-- A compact list item naming a document: "No. 562, 5 November 1920: heading". -->
  <xsl:template name="h:document-item">
    <xsl:param name="entry" as="element(entry)"/>
    <xsl:param name="base" as="xs:string" select="''"/>
    <xsl:param name="extra" as="xs:string" select="''"/>
    <li>
      <a href="{$base}documents/{$entry/@id}.html"><xsl:value-of select="$entry/label"/></a>
      <xsl:if test="$entry/@n != ''">, <xsl:value-of select="$entry/@date-label"/></xsl:if>
      <xsl:text>: </xsl:text>
      <span class="doc-title"><xsl:value-of select="$entry/title"/></span>
      <xsl:if test="$extra"><span class="extra"> (<xsl:value-of select="$extra"/>)</span></xsl:if>
    </li>
  </xsl:template>

  <!-- Paragraphs of a text from edition.yaml (blank lines separate paragraphs). -->
  <xsl:template name="h:paragraphs">
    <xsl:param name="text" as="xs:string?"/>
    <xsl:for-each select="tokenize(string($text), '\n\s*\n')[normalize-space()]">
      <p><xsl:value-of select="normalize-space(.)"/></p>
    </xsl:for-each>
  </xsl:template>

  <!-- Sorting names: without a leading article, case and accents folded. -->
  <xsl:function name="h:sort-key" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <xsl:variable name="folded" select="replace(lower-case(normalize-unicode(normalize-space($s), 'NFKD')), '\p{M}', '')"/>
    <xsl:sequence select="normalize-space(replace(replace($folded, '^(the|a|an)\s+', ''), '[^\p{L}\p{N}]', ' '))"/>
  </xsl:function>

  <!-- Archival numbers sort as numbers ("6" before "059" before "148"), letters after. -->
  <xsl:function name="h:num-key" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <xsl:variable name="d" select="if (matches(string($s), '^\d')) then replace(string($s), '^(\d+).*$', '$1', 's') else ''"/>
    <xsl:sequence select="(if ($d) then format-number(xs:integer($d), '0000000000') else 'zzzzzzzzzz') || substring(string($s), string-length($d) + 1)"/>
  </xsl:function>

</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  Entry stylesheet: the archival concordance (archives.html): archive → fond → opis →
  delo (with papka) → the documents kept there, with folios and the state of the copy.
  From the msDesc of every document's header, via the catalogue. Each delo has an
  anchor (h:archive-anchor) that the document pages link to.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:h="https://edition-pipeline.example/ns/html"
    exclude-result-prefixes="#all">

  <xsl:import href="lists.xsl"/>

  <xsl:template match="/site">
    <xsl:variable name="site" select="."/>
    <!-- every citation in the order of the concordance: the pages are cut from these rows -->
    <xsl:variable name="rows" as="element(ms)*">
      <xsl:for-each-group select="entry/ms" group-by="@repository">
        <xsl:sort select="current-grouping-key()"/>
        <xsl:for-each-group select="current-group()" group-by="@fond">
          <xsl:sort select="h:num-key(current-grouping-key())"/>
          <xsl:for-each-group select="current-group()" group-by="@opis">
            <xsl:sort select="h:num-key(current-grouping-key())"/>
            <xsl:for-each-group select="current-group()" group-by="@anchor">
              <xsl:sort select="h:num-key(@papka)"/>
              <xsl:sort select="h:num-key(@delo)"/>
              <xsl:perform-sort select="current-group()">
                <xsl:sort select="h:num-key(tokenize(@folios, '[–, ]')[1])"/>
              </xsl:perform-sort>
            </xsl:for-each-group>
          </xsl:for-each-group>
        </xsl:for-each-group>
      </xsl:for-each-group>
    </xsl:variable>
    <xsl:variable name="count" select="h:page-count(count($rows))"/>
    <xsl:sequence select="map:merge(for $n in 1 to $count return
        h:page(h:page-href('archives.html', $n), h:archives-page($rows, $n, $count)))"
        xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>
  </xsl:template>

  <!-- " (continued)" when the group that begins at row $i began on an earlier row -->
  <xsl:function name="h:continued" as="xs:string">
    <xsl:param name="rows" as="element(ms)*"/>
    <xsl:param name="i" as="xs:integer"/>
    <xsl:param name="key" as="function(element(ms)) as xs:string"/>
    <xsl:sequence select="if ($i gt 1 and $key($rows[$i - 1]) eq $key($rows[$i])) then ', continued' else ''"/>
  </xsl:function>

  <xsl:function name="h:archives-page" as="document-node()">
    <xsl:param name="rows" as="element(ms)*"/>
    <xsl:param name="n" as="xs:integer"/>
    <xsl:param name="count" as="xs:integer"/>
    <xsl:variable name="lo" select="($n - 1) * $rows-per-page + 1"/>
    <xsl:variable name="hi" select="min(($n * $rows-per-page, count($rows)))"/>
    <xsl:variable name="archive" select="function($m as element(ms)) as xs:string { string($m/@repository) }"/>
    <xsl:variable name="fond" select="function($m as element(ms)) as xs:string { $m/@repository || '|' || $m/@fond }"/>
    <xsl:variable name="opis" select="function($m as element(ms)) as xs:string { $m/@repository || '|' || $m/@fond || '|' || $m/@opis }"/>
    <xsl:variable name="delo" select="function($m as element(ms)) as xs:string { string($m/@anchor) }"/>
    <xsl:call-template name="h:shell">
      <xsl:with-param name="title" select="'Archival concordance' || h:page-label($n, $count)"/>
      <xsl:with-param name="section" select="'archives'"/>
      <xsl:with-param name="kind" select="'archives'"/>
      <xsl:with-param name="href" select="h:page-href('archives.html', $n)"/>
      <xsl:with-param name="content" as="node()*">
        <h1>Archival concordance<xsl:value-of select="h:page-label($n, $count)"/></h1>
        <p class="lead">Where the originals are kept: the archival citations of
          <xsl:value-of select="count(distinct-values($rows/../@id))"/> documents, as the sources give them, ordered by
          archive, fond (f.), opis (op.) and delo (d.; with the papka, p., where cited). The folios (l.) and the state of the
          copy follow each document.</p>
        <nav class="letters" aria-label="Archives">
          <ul>
            <xsl:for-each select="distinct-values($rows ! string(@repository))">
              <xsl:variable name="at" select="(for $i in 1 to count($rows) return if (string($rows[$i]/@repository) eq current()) then $i else ())[1]"/>
              <li><a href="{if (h:page-of($at) eq $n) then '' else h:page-href('archives.html', h:page-of($at))}#{h:archive-id(.)}"><xsl:value-of select=".[.]"/></a></li>
            </xsl:for-each>
          </ul>
        </nav>
        <xsl:call-template name="h:pager">
          <xsl:with-param name="first" select="'archives.html'"/>
          <xsl:with-param name="n" select="$n"/>
          <xsl:with-param name="count" select="$count"/>
          <xsl:with-param name="label" select="'Pages of the concordance'"/>
        </xsl:call-template>
        <xsl:for-each-group select="$lo to $hi" group-adjacent="for $i in . return $archive($rows[$i])">
          <xsl:variable name="af" select="$rows[current-group()[1]]"/>
          <section class="archive" aria-labelledby="{h:archive-id($af/@repository)}">
            <h2 id="{h:archive-id($af/@repository)}"><xsl:value-of select="h:archive-name($af)
                || h:continued($rows, current-group()[1], $archive)"/></h2>
            <xsl:for-each-group select="current-group()" group-adjacent="for $i in . return $fond($rows[$i])">
              <xsl:variable name="ff" select="$rows[current-group()[1]]"/>
              <section class="fond" aria-labelledby="{h:archive-id($ff/@repository)}-f{h:token($ff/@fond)}">
                <h3 id="{h:archive-id($ff/@repository)}-f{h:token($ff/@fond)}">Fond <xsl:value-of select="($ff/@fond[. != ''], '(not cited)')[1]
                    || h:continued($rows, current-group()[1], $fond)"/></h3>
                <ul class="opis-list">
                  <xsl:for-each-group select="current-group()" group-adjacent="for $i in . return $opis($rows[$i])">
                    <xsl:variable name="of" select="$rows[current-group()[1]]"/>
                    <li>
                      <span class="opis">Opis <xsl:value-of select="($of/@opis[. != ''], '(not cited)')[1]
                          || h:continued($rows, current-group()[1], $opis)"/></span>
                      <ul class="delo-list">
                        <xsl:for-each-group select="current-group()" group-adjacent="for $i in . return $delo($rows[$i])">
                          <xsl:variable name="df" select="$rows[current-group()[1]]"/>
                          <li id="{current-grouping-key()}">
                            <span class="delo">
                              <xsl:value-of select="string-join((if ($df/@papka != '') then 'papka ' || $df/@papka else (),
                                  'delo ' || ($df/@delo[. != ''], '(not cited)')[1]), ', ')
                                  || h:continued($rows, current-group()[1], $delo)"/>
                            </span>
                            <ul class="doc-list">
                              <xsl:for-each select="for $i in current-group() return $rows[$i]">
                                <xsl:call-template name="h:document-item">
                                  <xsl:with-param name="entry" select=".."/>
                                  <xsl:with-param name="extra" select="string-join((if (@folios != '') then 'l. ' || @folios else (),
                                      @form[. != ''], if (@cert) then 'reading of ' || @cert || ' certainty' else ()), '; ')"/>
                                </xsl:call-template>
                              </xsl:for-each>
                            </ul>
                          </li>
                        </xsl:for-each-group>
                      </ul>
                    </li>
                  </xsl:for-each-group>
                </ul>
              </section>
            </xsl:for-each-group>
          </section>
        </xsl:for-each-group>
        <xsl:call-template name="h:pager">
          <xsl:with-param name="first" select="'archives.html'"/>
          <xsl:with-param name="n" select="$n"/>
          <xsl:with-param name="count" select="$count"/>
          <xsl:with-param name="label" select="'Pages of the concordance (end of the list)'"/>
        </xsl:call-template>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:function>

  <xsl:function name="h:archive-id" as="xs:string">
    <xsl:param name="repository" as="xs:string?"/>
    <xsl:sequence select="'archive-' || (h:token($repository)[.], 'unnamed')[1]"/>
  </xsl:function>

  <!-- "AVP RF", with the full name when a register (or the edition file) names the archive -->
  <xsl:function name="h:archive-name" as="xs:string">
    <xsl:param name="ms" as="element(ms)"/>
    <xsl:variable name="abbr" select="(normalize-space($ms/@repository)[.], 'Archive not named')[1]"/>
    <xsl:variable name="full" select="if ($ms/@repository-ref != '' and map:contains($names, string($ms/@repository-ref)))
        then string($names(string($ms/@repository-ref))) else ''" xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>
    <xsl:sequence select="if (not($full) or $full = $abbr) then $abbr
        else if (contains($full, $abbr)) then $full else $full || ' (' || $abbr || ')'"/>
  </xsl:function>

</xsl:stylesheet>

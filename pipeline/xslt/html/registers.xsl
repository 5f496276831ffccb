<?xml version="1.0" encoding="UTF-8"?>
<!--
  Entry stylesheet: the registers (registers/index.html) and one page per person, place
  and organisation (registers/<id>.html) listing every document that names it.

  The registers are TEI (listPerson/person, listPlace/place, listOrg/org, with
  @xml:id) in the files named by $registers-uris; mentions are persName/placeName/
  orgName/name/rs with @ref="…#id" in the documents, gathered by catalogue.xsl. Read
  generically: the preferred name is the first name with @type preferred/reg/main,
  else the first name; description from note/desc/occupation/roleName/state.

  The returned map also holds "#names": {id: preferred name} for the other pages
  (links from the text, correspondents, archives). No registers: no pages.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:h="https://edition-pipeline.example/ns/html"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    exclude-result-prefixes="#all">

  <xsl:import href="lists.xsl"/>

  <!-- file URIs of the register files, separated by spaces -->
  <xsl:param name="registers-uris" as="xs:string" select="''"/>
  <!-- tei/edition.xml: entries there (archives) are named, not given pages -->
  <xsl:param name="edition-uri" as="xs:string" select="''"/>
  <!-- A big edition's registers are made in parts (a transform each, so that no transform
       holds every page at once): part 0 of $parts makes the index and the maps of names,
       and every part the pages of every $parts-th entry (from the $part-th). -->
  <xsl:param name="part" as="xs:string" select="'0'"/>
  <xsl:param name="parts" as="xs:string" select="'1'"/>
  <xsl:variable name="part-no" as="xs:integer" select="xs:integer($part)"/>
  <xsl:variable name="part-count" as="xs:integer" select="max((1, xs:integer($parts)))"/>

  <xsl:variable name="registers" as="document-node()*"
      select="tokenize(normalize-space($registers-uris), ' ') ! doc(.)"/>
  <xsl:variable name="entities" as="element()*"
      select="$registers//(tei:person | tei:personGrp | tei:place | tei:org)[@xml:id]"/>
  <xsl:variable name="named-elsewhere" as="element()*"
      select="(if ($edition-uri and doc-available($edition-uri)) then doc($edition-uri) else ())
              //(tei:person | tei:place | tei:org)[@xml:id]"/>

  <xsl:function name="h:entity-name" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="names" select="$e/(tei:persName | tei:placeName | tei:orgName | tei:name | tei:geogName)"/>
    <xsl:variable name="n" select="($names[@type = ('preferred', 'reg', 'main', 'standard')], $names[not(@type)], $names)[1]"/>
    <xsl:sequence select="if ($n/(tei:surname | tei:forename)) then normalize-space(string-join(($n/tei:forename, $n/tei:surname), ' '))
        else if (normalize-space($n)) then normalize-space($n) else string($e/@xml:id)"/>
  </xsl:function>

  <!-- Persons sort by surname: the surname element, else the last word of the name
       (a qualifier in parentheses left out); the rest by the name. -->
  <xsl:function name="h:entity-sort-key" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="name" select="normalize-space(replace(h:entity-name($e), '\([^)]*\)', ''))"/>
    <xsl:variable name="surname" select="($e/tei:persName/tei:surname)[1]"/>
    <xsl:sequence select="h:sort-key(
        if (not($e/self::tei:person)) then $name
        else if ($surname) then $surname || ' ' || $name
        else (tokenize($name, ' ')[last()] || ' ' || $name))"/>
  </xsl:function>

  <xsl:function name="h:kind" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="if ($e/self::tei:place) then 'places' else if ($e/self::tei:org) then 'organisations' else 'persons'"/>
  </xsl:function>

  <xsl:template match="/site">
    <xsl:variable name="site" select="."/>
    <xsl:variable name="names" select="map:merge((
        $named-elsewhere ! map{string(@xml:id): h:entity-name(.)},
        $entities ! map{string(@xml:id): h:entity-name(.)}), map{'duplicates': 'use-last'})"/>
    <xsl:variable name="sort-keys" select="map:merge($entities ! map{string(@xml:id): h:entity-sort-key(.)},
        map{'duplicates': 'use-last'})"/>
    <!-- entries that no document names get no page: they are listed in the review report -->
    <xsl:variable name="used" select="$entities[exists(h:docs-of(@xml:id, $site))]"/>
    <xsl:sequence select="map:merge((
        if ($part-no eq 0) then map{'#names': $names, '#sort': $sort-keys,
            '#unused': array{($entities except $used) ! [string(@xml:id), h:entity-name(.), h:kind(.)]}} else (),
        if (exists($used)) then (
          if ($part-no eq 0) then h:index-pages($site, $used) else (),
          for $e in $used[(position() - 1) mod $part-count eq $part-no] return h:entity-pages($e, $site, h:kind-pages($used))
        ) else ()))"/>
  </xsl:template>

  <!-- the documents that name an entry, in calendar order (a key: 500 entries × 200 documents) -->
  <xsl:key name="naming" match="/site/entry" use="mention/@ref, (sender | addressee)/@ref"/>

  <xsl:function name="h:docs-of" as="element(entry)*">
    <xsl:param name="id" as="xs:string"/>
    <xsl:param name="site" as="element(site)"/>
    <xsl:sequence select="key('naming', $id, root($site))"/>
  </xsl:function>

  <!-- How the index lists a name: persons sorted by surname as "Surname, Forename"
       (a qualifier in parentheses after), the rest as they are. -->
  <xsl:function name="h:index-name" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="full" select="h:entity-name($e)"/>
    <xsl:variable name="qualifier" select="if (matches($full, '\(.*\)')) then replace($full, '^[^(]*(\([^)]*\)).*$', '$1') else ''"/>
    <xsl:variable name="name" select="normalize-space(replace($full, '\([^)]*\)', ''))"/>
    <xsl:variable name="n" select="($e/tei:persName[tei:surname])[1]"/>
    <xsl:variable name="words" select="tokenize($name, ' ')"/>
    <xsl:sequence select="
        if (not($e/self::tei:person)) then $full
        else if ($n) then normalize-space(string-join(($n/tei:surname, ', ', $n/tei:forename), ' ')) => replace(' ,', ',')
        else if (count($words) gt 1) then $words[last()] || ', ' || string-join($words[position() lt last()], ' ')
             || (if ($qualifier) then ' ' || $qualifier else '')
        else $full"/>
  </xsl:function>

  <xsl:function name="h:letter" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="upper-case(substring(h:entity-sort-key($e), 1, 1))"/>
  </xsl:function>

  <!-- "#x" on the page itself, "index-p3.html#x" on another page of the list -->
  <xsl:function name="h:link-to" as="xs:string">
    <xsl:param name="first" as="xs:string"/>
    <xsl:param name="target" as="xs:integer"/>
    <xsl:param name="current" as="xs:integer"/>
    <xsl:param name="fragment" as="xs:string"/>
    <xsl:sequence select="(if ($target eq $current) then '' else h:page-href($first, $target)) || '#' || $fragment"/>
  </xsl:function>

  <!-- The index of the registers: the kinds (persons, places, organisations), each sorted
       with letter heads, in pages of $rows-per-page names (index.html, index-p2.html, …);
       a kind or letter that goes on from one page to the next says so. -->
  <!-- the entries in the order of the index: by kind, then letter and sort key -->
  <xsl:function name="h:index-order" as="element()*" cache="yes">
    <xsl:param name="entities" as="element()*"/>
    <xsl:for-each select="distinct-values($entities ! h:kind(.))">
      <xsl:variable name="kind" select="."/>
      <xsl:perform-sort select="$entities[h:kind(.) = $kind]">
        <xsl:sort select="h:letter(.)"/>
        <xsl:sort select="h:entity-sort-key(.)"/>
      </xsl:perform-sort>
    </xsl:for-each>
  </xsl:function>

  <!-- {kind: "index-p2.html#places"}: where each kind begins in the index -->
  <xsl:function name="h:kind-pages" as="map(*)" cache="yes">
    <xsl:param name="entities" as="element()*"/>
    <xsl:variable name="kind-of" select="h:index-order($entities) ! h:kind(.)"/>
    <xsl:sequence select="map:merge(distinct-values($kind-of) ! map{.: h:page-href('index.html', h:page-of(index-of($kind-of, .)[1])) || '#' || .})"/>
  </xsl:function>

  <xsl:function name="h:index-pages" as="map(*)*">
    <xsl:param name="site" as="element(site)"/>
    <xsl:param name="entities" as="element()*"/>
    <xsl:variable name="ordered" select="h:index-order($entities)"/>
    <xsl:variable name="kind-of" select="$ordered ! h:kind(.)"/>
    <xsl:variable name="letter-of" select="$ordered ! h:letter(.)"/>
    <xsl:variable name="count" select="h:page-count(count($ordered))"/>
    <xsl:sequence select="for $n in 1 to $count return
        h:page(h:page-href('registers/index.html', $n), h:index($site, $ordered, $kind-of, $letter-of, $n, $count))"/>
  </xsl:function>

  <xsl:function name="h:index" as="document-node()">
    <xsl:param name="site" as="element(site)"/>
    <xsl:param name="ordered" as="element()*"/>
    <xsl:param name="kind-of" as="xs:string*"/>
    <xsl:param name="letter-of" as="xs:string*"/>
    <xsl:param name="n" as="xs:integer"/>
    <xsl:param name="count" as="xs:integer"/>
    <xsl:variable name="lo" select="($n - 1) * $rows-per-page + 1"/>
    <xsl:variable name="hi" select="min(($n * $rows-per-page, count($ordered)))"/>
    <xsl:call-template name="h:shell">
      <xsl:with-param name="title" select="'Registers' || h:page-label($n, $count)"/>
      <xsl:with-param name="base" select="'../'"/>
      <xsl:with-param name="section" select="'registers'"/>
      <xsl:with-param name="kind" select="'registers'"/>
      <xsl:with-param name="href" select="h:page-href('registers/index.html', $n)"/>
      <xsl:with-param name="content" as="node()*">
        <h1>Registers<xsl:value-of select="h:page-label($n, $count)"/></h1>
        <p class="lead">The persons, places and organisations named in the documents, each with the documents that name it.</p>
        <nav class="letters" aria-label="Registers">
          <ul>
            <xsl:for-each select="distinct-values($kind-of)">
              <xsl:variable name="kind" select="."/>
              <li><a href="{h:link-to('index.html', h:page-of(index-of($kind-of, $kind)[1]), $n, $kind)}"><xsl:value-of select="h:capital($kind)"/></a></li>
            </xsl:for-each>
          </ul>
        </nav>
        <xsl:call-template name="h:pager">
          <xsl:with-param name="first" select="'index.html'"/>
          <xsl:with-param name="n" select="$n"/>
          <xsl:with-param name="count" select="$count"/>
          <xsl:with-param name="label" select="'Pages of the registers'"/>
        </xsl:call-template>
        <xsl:for-each-group select="$lo to $hi" group-adjacent="for $i in . return $kind-of[$i]">
          <xsl:variable name="kind" select="current-grouping-key()"/>
          <xsl:variable name="of-kind" select="index-of($kind-of, $kind)"/>
          <section aria-labelledby="{$kind}">
            <h2 id="{$kind}"><xsl:value-of select="h:capital($kind) || ' (' || count($of-kind) || ')'
                || (if ($of-kind[1] lt current-group()[1]) then ', continued' else '')"/></h2>
            <nav class="letters" aria-label="{h:capital($kind)} by letter">
              <ul>
                <xsl:for-each select="distinct-values(for $i in $of-kind return $letter-of[$i])">
                  <xsl:variable name="letter" select="."/>
                  <xsl:variable name="at" select="(for $i in $of-kind return if ($letter-of[$i] eq $letter) then $i else ())[1]"/>
                  <li><a href="{h:link-to('index.html', h:page-of($at), $n, $kind || '-' || h:token($letter))}"><xsl:value-of select="$letter"/></a></li>
                </xsl:for-each>
              </ul>
            </nav>
            <xsl:for-each-group select="current-group()" group-adjacent="for $i in . return $letter-of[$i]">
              <xsl:variable name="continued" select="current-group()[1] eq $lo and $lo gt 1
                  and $kind-of[$lo - 1] eq $kind and $letter-of[$lo - 1] eq current-grouping-key()"/>
              <h3 id="{$kind}-{h:token(current-grouping-key())}" class="letter-head"><xsl:value-of select="current-grouping-key()
                  || (if ($continued) then ', continued' else '')"/></h3>
              <ul class="register-list">
                <xsl:for-each select="for $i in current-group() return $ordered[$i]">
                  <li><a href="{@xml:id}.html"><xsl:value-of select="h:index-name(.)"/></a>
                    <span class="count"> (<xsl:value-of select="count(h:docs-of(@xml:id, $site))"/>)</span></li>
                </xsl:for-each>
              </ul>
            </xsl:for-each-group>
          </section>
        </xsl:for-each-group>
        <xsl:call-template name="h:pager">
          <xsl:with-param name="first" select="'index.html'"/>
          <xsl:with-param name="n" select="$n"/>
          <xsl:with-param name="count" select="$count"/>
          <xsl:with-param name="label" select="'Pages of the registers (end of the list)'"/>
        </xsl:call-template>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:function>

  <!-- A web address for an authority id: as given, or Wikidata/VIAF/GeoNames/GND from the bare id. -->
  <xsl:function name="h:authority-url" as="xs:string?">
    <xsl:param name="idno" as="element()"/>
    <xsl:variable name="v" select="normalize-space($idno)"/>
    <xsl:variable name="t" select="lower-case($idno/@type)"/>
    <xsl:sequence select="
        if (matches($v, '^https?://')) then $v
        else if ($t = 'wikidata' and matches($v, '^Q\d+$')) then 'https://www.wikidata.org/wiki/' || $v
        else if ($t = 'viaf' and matches($v, '^\d+$')) then 'https://viaf.org/viaf/' || $v
        else if ($t = 'geonames' and matches($v, '^\d+$')) then 'https://www.geonames.org/' || $v
        else if ($t = 'gnd') then 'https://d-nb.info/gnd/' || $v
        else ()"/>
  </xsl:function>

  <xsl:function name="h:capital" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:sequence select="upper-case(substring($s, 1, 1)) || substring($s, 2)"/>
  </xsl:function>

  <!-- an entry's pages: registers/<id>.html, then <id>-p2.html … when its documents fill more than one -->
  <xsl:function name="h:entity-pages" as="map(*)*">
    <xsl:param name="e" as="element()"/>
    <xsl:param name="site" as="element(site)"/>
    <xsl:param name="kind-pages" as="map(*)"/>
    <xsl:variable name="docs" select="h:docs-of(string($e/@xml:id), $site)"/>
    <xsl:variable name="count" select="h:page-count(count($docs))"/>
    <xsl:sequence select="for $n in 1 to $count return
        h:page(h:page-href('registers/' || $e/@xml:id || '.html', $n), h:entity($e, $docs, $n, $count, $kind-pages))"/>
  </xsl:function>

  <xsl:function name="h:entity" as="document-node()">
    <xsl:param name="e" as="element()"/>
    <xsl:param name="all-docs" as="element(entry)*"/>
    <xsl:param name="n" as="xs:integer"/>
    <xsl:param name="count" as="xs:integer"/>
    <xsl:param name="kind-pages" as="map(*)"/>
    <xsl:variable name="id" select="string($e/@xml:id)"/>
    <xsl:variable name="name" select="h:entity-name($e)"/>
    <xsl:variable name="docs" select="h:page-rows($all-docs, $n)"/>
    <xsl:variable name="forms" select="distinct-values($e/(tei:persName | tei:placeName | tei:orgName | tei:name | tei:geogName)
        [not(@type = 'office')] ! normalize-space(.))[. != $name]"/>
    <xsl:call-template name="h:shell">
      <xsl:with-param name="title" select="$name || h:page-label($n, $count)"/>
      <xsl:with-param name="base" select="'../'"/>
      <xsl:with-param name="section" select="'registers'"/>
      <xsl:with-param name="kind" select="'register-entry'"/>
      <xsl:with-param name="href" select="h:page-href('registers/' || $id || '.html', $n)"/>
      <xsl:with-param name="content" as="node()*">
        <nav class="breadcrumbs" aria-label="Breadcrumb">
          <ol><li><a href="index.html">Registers</a></li>
            <li><a href="{$kind-pages(h:kind($e))}"><xsl:value-of select="h:capital(h:kind($e))"/></a></li>
            <li><span aria-current="page"><xsl:value-of select="$name"/></span></li></ol>
        </nav>
        <h1><xsl:value-of select="$name"/></h1>
        <xsl:variable name="dates" select="string-join(($e/tei:birth/(@when, normalize-space(.))[.][1],
            $e/tei:death/(@when, normalize-space(.))[.][1]), '–')"/>
        <xsl:if test="$dates"><p class="life-dates"><xsl:value-of select="$dates"/></p></xsl:if>
        <xsl:variable name="offices" select="$e/(tei:occupation | tei:roleName | tei:state | tei:affiliation)"/>
        <xsl:if test="exists($offices)">
          <ul class="offices">
            <xsl:for-each select="$offices">
              <li>
                <xsl:variable name="when" select="string-join((@from, @to), '–') || (if (@when) then @when else '')"/>
                <xsl:if test="$when"><span class="when"><xsl:value-of select="$when"/></span><xsl:text> </xsl:text></xsl:if>
                <xsl:value-of select="normalize-space(.)"/>
              </li>
            </xsl:for-each>
          </ul>
        </xsl:if>
        <xsl:for-each select="$e/(tei:note | tei:desc | tei:location/tei:country | tei:location/tei:region)">
          <p class="entity-desc"><xsl:value-of select="normalize-space(.)"/></p>
        </xsl:for-each>
        <xsl:if test="exists($forms)">
          <p class="forms">Forms in the sources: <xsl:value-of select="$forms" separator="; "/></p>
        </xsl:if>
        <xsl:variable name="named-as" select="distinct-values($e/*[@type = 'office']/normalize-space())"/>
        <xsl:if test="exists($named-as)">
          <p class="forms">Named in headings by office as: <xsl:value-of select="$named-as" separator="; "/></p>
        </xsl:if>
        <xsl:variable name="links" select="$e/tei:idno[h:authority-url(.)]"/>
        <xsl:if test="exists($links)">
          <p class="authority">Authority records:
            <xsl:for-each select="$links">
              <xsl:if test="position() gt 1">, </xsl:if>
              <a href="{h:authority-url(.)}"><xsl:value-of select="string-join((@type, normalize-space(.)), ' ')"/></a>
            </xsl:for-each>
          </p>
        </xsl:if>
        <section aria-labelledby="docs-title">
          <h2 id="docs-title">Documents (<xsl:value-of select="count($all-docs)"/>)<xsl:value-of select="h:page-label($n, $count)"/></h2>
          <xsl:call-template name="h:pager">
            <xsl:with-param name="first" select="$id || '.html'"/>
            <xsl:with-param name="n" select="$n"/>
            <xsl:with-param name="count" select="$count"/>
            <xsl:with-param name="label" select="'Pages of the documents'"/>
          </xsl:call-template>
          <xsl:choose>
            <xsl:when test="exists($docs)">
              <ul class="doc-list register-docs">
                <xsl:for-each select="$docs">
                  <xsl:call-template name="h:document-item">
                    <xsl:with-param name="entry" select="."/>
                    <xsl:with-param name="base" select="'../'"/>
                    <xsl:with-param name="extra" select="string-join((
                        if (sender/@ref = $id) then 'sender' else (),
                        if (addressee/@ref = $id) then 'addressee' else (),
                        mention[@ref = $id]/@count ! (. || (if (. = '1') then ' mention' else ' mentions'))), ', ')"/>
                  </xsl:call-template>
                </xsl:for-each>
              </ul>
            </xsl:when>
            <xsl:otherwise><p>No document of the edition names this entry yet.</p></xsl:otherwise>
          </xsl:choose>
          <xsl:call-template name="h:pager">
            <xsl:with-param name="first" select="$id || '.html'"/>
            <xsl:with-param name="n" select="$n"/>
            <xsl:with-param name="count" select="$count"/>
            <xsl:with-param name="label" select="'Pages of the documents (end of the list)'"/>
          </xsl:call-template>
        </section>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:function>

</xsl:stylesheet>

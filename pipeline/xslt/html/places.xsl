<?xml version="1.0" encoding="UTF-8"?>
<!--
  Entry stylesheet: the documents by place of writing (places.html): every place that a
  document prints (ed:place-of-writing), with its documents in date order, linked to its
  register entry when there is one; then how many documents print no place. In pages of
  $rows-per-page documents (places.html, places-p2.html, …); a place that goes on from one
  page to the next says so.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:h="https://edition-pipeline.example/ns/html"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    exclude-result-prefixes="#all">

  <xsl:import href="lists.xsl"/>

  <xsl:function name="h:place-key" as="xs:string">
    <xsl:param name="entry" as="element(entry)"/>
    <xsl:sequence select="if ($entry/@place-ref != '') then string($entry/@place-ref) else h:sort-key($entry/@place)"/>
  </xsl:function>

  <xsl:template match="/site">
    <xsl:variable name="site" select="."/>
    <!-- the documents, place by place: the pages are cut from this sequence -->
    <xsl:variable name="rows" as="element(entry)*">
      <xsl:for-each-group select="entry[@place != '']" group-by="h:place-key(.)">
        <xsl:sort select="h:sort-key(current-group()[1]/@place)"/>
        <xsl:sequence select="current-group()"/>
      </xsl:for-each-group>
    </xsl:variable>
    <xsl:variable name="key-of" select="$rows ! h:place-key(.)"/>
    <xsl:variable name="count" select="h:page-count(count($rows))"/>
    <xsl:sequence select="map:merge(for $n in 1 to $count return
        h:page(h:page-href('places.html', $n), h:places-page($site, $rows, $key-of, $n, $count)))"/>
  </xsl:template>

  <xsl:function name="h:places-page" as="document-node()">
    <xsl:param name="site" as="element(site)"/>
    <xsl:param name="rows" as="element(entry)*"/>
    <xsl:param name="key-of" as="xs:string*"/>
    <xsl:param name="n" as="xs:integer"/>
    <xsl:param name="count" as="xs:integer"/>
    <xsl:variable name="lo" select="($n - 1) * $rows-per-page + 1"/>
    <xsl:variable name="hi" select="min(($n * $rows-per-page, count($rows)))"/>
    <xsl:call-template name="h:shell">
      <xsl:with-param name="title" select="'Documents by place of writing' || h:page-label($n, $count)"/>
      <xsl:with-param name="section" select="'places'"/>
      <xsl:with-param name="kind" select="'places'"/>
      <xsl:with-param name="href" select="h:page-href('places.html', $n)"/>
      <xsl:with-param name="content" as="node()*">
        <h1>Documents by place of writing<xsl:value-of select="h:page-label($n, $count)"/></h1>
        <p class="lead">The places of writing that the documents print (in a dateline, a heading or a treaty’s closing clause), with the documents written there in date order.
          <xsl:value-of select="count($site/entry) - count($rows)"/> of the <xsl:value-of select="count($site/entry)"/> documents print
          no place of writing; they are in the <a href="calendar.html">calendar</a>.</p>
        <xsl:if test="$count gt 1">
          <nav class="letters" aria-label="Places">
            <ul>
              <xsl:for-each select="distinct-values($key-of)">
                <xsl:variable name="at" select="index-of($key-of, .)[1]"/>
                <li><a href="{if (h:page-of($at) eq $n) then '' else h:page-href('places.html', h:page-of($at))}#pl-{h:token(.)}"><xsl:value-of select="$rows[$at]/@place"/></a></li>
              </xsl:for-each>
            </ul>
          </nav>
        </xsl:if>
        <xsl:call-template name="h:pager">
          <xsl:with-param name="first" select="'places.html'"/>
          <xsl:with-param name="n" select="$n"/>
          <xsl:with-param name="count" select="$count"/>
          <xsl:with-param name="label" select="'Pages of the places'"/>
        </xsl:call-template>
        <xsl:for-each-group select="$lo to $hi" group-adjacent="for $i in . return $key-of[$i]">
          <xsl:variable name="key" select="current-grouping-key()"/>
          <xsl:variable name="all" select="index-of($key-of, $key)"/>
          <xsl:variable name="first" select="$rows[$all[1]]"/>
          <xsl:variable name="ref" select="string($first/@place-ref)"/>
          <section class="place" aria-labelledby="pl-{h:token($key)}">
            <h2 id="pl-{h:token($key)}">
              <xsl:choose>
                <xsl:when test="$ref and map:contains($names, $ref)">
                  <a href="registers/{$ref}.html"><xsl:value-of select="$names($ref)"/></a>
                </xsl:when>
                <xsl:otherwise><xsl:value-of select="$first/@place"/></xsl:otherwise>
              </xsl:choose>
              <span class="count"> (<xsl:value-of select="count($all)"/>)</span>
              <xsl:if test="$all[1] lt current-group()[1]">, continued</xsl:if>
            </h2>
            <ul class="doc-list">
              <xsl:for-each select="current-group()">
                <xsl:call-template name="h:document-item">
                  <xsl:with-param name="entry" select="$rows[xs:integer(current())]"/>
                </xsl:call-template>
              </xsl:for-each>
            </ul>
          </section>
        </xsl:for-each-group>
        <xsl:call-template name="h:pager">
          <xsl:with-param name="first" select="'places.html'"/>
          <xsl:with-param name="n" select="$n"/>
          <xsl:with-param name="count" select="$count"/>
          <xsl:with-param name="label" select="'Pages of the places (end of the list)'"/>
        </xsl:call-template>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:function>

</xsl:stylesheet>

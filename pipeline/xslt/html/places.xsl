<?xml version="1.0" encoding="UTF-8"?>
<!--
  Entry stylesheet: the documents by place of writing (places.html): every place that a
  dateline prints (ed:place-of-writing), with its documents in date order, linked to its
  register entry when there is one; then how many documents print no place.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:h="https://edition-pipeline.example/ns/html"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    exclude-result-prefixes="#all">

  <xsl:import href="lists.xsl"/>

  <xsl:template match="/site">
    <xsl:variable name="placed" select="entry[@place != '']"/>
    <xsl:variable name="page">
      <xsl:call-template name="h:shell">
        <xsl:with-param name="title" select="'Documents by place of writing'"/>
        <xsl:with-param name="section" select="'places'"/>
        <xsl:with-param name="kind" select="'places'"/>
        <xsl:with-param name="content" as="node()*">
          <h1>Documents by place of writing</h1>
          <p class="lead">The places that the documents’ datelines print, with the documents written there in date order.
            <xsl:value-of select="count(entry) - count($placed)"/> of the <xsl:value-of select="count(entry)"/> documents print
            no place of writing; they are in the <a href="calendar.html">calendar</a>.</p>
          <xsl:for-each-group select="$placed" group-by="if (@place-ref != '') then @place-ref else h:sort-key(@place)">
            <xsl:sort select="h:sort-key(current-group()[1]/@place)"/>
            <xsl:variable name="ref" select="string(current-group()[1]/@place-ref)"/>
            <section class="place" aria-labelledby="pl-{h:token(current-grouping-key())}">
              <h2 id="pl-{h:token(current-grouping-key())}">
                <xsl:choose>
                  <xsl:when test="$ref and map:contains($names, $ref)">
                    <a href="registers/{$ref}.html"><xsl:value-of select="$names($ref)"/></a>
                  </xsl:when>
                  <xsl:otherwise><xsl:value-of select="current-group()[1]/@place"/></xsl:otherwise>
                </xsl:choose>
                <span class="count"> (<xsl:value-of select="count(current-group())"/>)</span>
              </h2>
              <ul class="doc-list">
                <xsl:for-each select="current-group()">
                  <xsl:call-template name="h:document-item">
                    <xsl:with-param name="entry" select="."/>
              
                  </xsl:call-template>
                </xsl:for-each>
              </ul>
            </section>
          </xsl:for-each-group>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:variable>
    <xsl:sequence select="h:page('places.html', $page)"/>
  </xsl:template>

</xsl:stylesheet>

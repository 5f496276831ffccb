<?xml version="1.0" encoding="UTF-8"?>
<!-- Entry stylesheet: the calendar of all documents (calendar.html), in date order. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:h="https://edition-pipeline.example/ns/html"
    exclude-result-prefixes="#all">

  <xsl:import href="lists.xsl"/>

  <xsl:template match="/site">
    <xsl:variable name="site" select="."/>
    <xsl:variable name="years" select="distinct-values(entry/substring(@date, 1, 4)[.])"/>
    <xsl:variable name="page">
      <xsl:call-template name="h:shell">
        <xsl:with-param name="title" select="'Calendar of documents'"/>
        <xsl:with-param name="section" select="'calendar'"/>
        <xsl:with-param name="kind" select="'calendar'"/>
        <xsl:with-param name="content" as="node()*">
          <h1>Calendar of documents</h1>
          <p class="lead">All <xsl:value-of select="count(entry)"/> documents of the edition in the order of their dates.
            Select a column heading to sort by it; select it again to reverse the order.
            Documents are also listed <a href="collections.html">by collection</a> and <a href="correspondents.html">by correspondent</a>.</p>
          <nav class="years" aria-label="Years">
            <ul>
              <xsl:for-each select="$years">
                <li><a href="#y{.}"><xsl:value-of select="."/></a></li>
              </xsl:for-each>
            </ul>
          </nav>
          <xsl:call-template name="h:document-table">
            <xsl:with-param name="entries" select="entry"/>
            <xsl:with-param name="caption" select="'Documents by date'"/>
            <xsl:with-param name="year-anchors" select="true()"/>
          </xsl:call-template>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:variable>
    <xsl:sequence select="h:page('calendar.html', $page)"/>
  </xsl:template>

</xsl:stylesheet>

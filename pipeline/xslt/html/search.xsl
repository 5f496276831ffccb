<?xml version="1.0" encoding="UTF-8"?>
<!--
  Entry stylesheet: the search page (search.html). The index is a script
  (assets/search-index.js, written by pipeline/html.py) rather than JSON fetched at run
  time, because browsers refuse fetch() from file:// and the edition must work from disk.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:h="https://edition-pipeline.example/ns/html"
    exclude-result-prefixes="#all">

  <xsl:import href="lists.xsl"/>

  <xsl:template match="/site">
    <xsl:variable name="page">
      <xsl:call-template name="h:shell">
        <xsl:with-param name="title" select="'Search'"/>
        <xsl:with-param name="section" select="'search'"/>
        <xsl:with-param name="kind" select="'search'"/>
        <xsl:with-param name="head-extra" as="node()*">
          <script src="assets/search-index.js" defer="defer"></script>
          <script src="assets/search.js" defer="defer"></script>
        </xsl:with-param>
        <xsl:with-param name="content" as="node()*">
          <h1>Search</h1>
          <form class="search-form" action="search.html" method="get" role="search">
            <label for="q">Words or a phrase</label>
            <input id="q" name="q" type="search" autocomplete="off"/>
            <label for="coll">in</label>
            <select id="coll" name="c">
              <option value="">all collections</option>
              <xsl:for-each select="source">
                <option value="{@id}"><xsl:value-of select="upper-case(@id) || ': ' || h:collection-short(.)"/></option>
              </xsl:for-each>
            </select>
            <button type="submit">Search</button>
          </form>
          <p class="search-help">Finds documents that contain all the words, in any order; put a phrase in quotation marks
            ("Balkan entente") to find it as written. Case, accents and the form of quotation marks and dashes do not matter.</p>
          <noscript><p class="notice">Search needs JavaScript. Without it, use the <a href="calendar.html">calendar</a>,
            the lists <a href="collections.html">by collection</a> and <a href="correspondents.html">by correspondent</a>,
            or the <a href="archives.html">archival concordance</a>.</p></noscript>
          <p id="search-status" class="search-status" role="status" aria-live="polite"></p>
          <ol id="search-results" class="search-results"></ol>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:variable>
    <xsl:sequence select="h:page('search.html', $page)"/>
  </xsl:template>

</xsl:stylesheet>

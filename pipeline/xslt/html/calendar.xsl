<?xml version="1.0" encoding="UTF-8"?>
<!-- Entry stylesheet: the calendar of all documents (calendar.html), in date order, in
     pages of $rows-per-page documents (calendar.html, calendar-p2.html, …); the years link
     to the page where each begins. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:h="https://edition-pipeline.example/ns/html"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    exclude-result-prefixes="#all">

  <xsl:import href="lists.xsl"/>

  <xsl:template match="/site">
    <xsl:variable name="site" select="."/>
    <xsl:variable name="entries" select="entry"/>
    <xsl:variable name="year-of" select="$entries ! substring(@date, 1, 4)"/>
    <xsl:variable name="years" select="distinct-values($year-of[.])"/>
    <!-- {year: the page where its first document is} -->
    <xsl:variable name="year-page" as="map(*)" select="map:merge(
        for $i in 1 to count($entries)
        return if ($year-of[$i] and ($i eq 1 or $year-of[$i - 1] ne $year-of[$i]))
               then map{$year-of[$i]: h:page-of($i)} else (),
        map{'duplicates': 'use-first'})"/>
    <xsl:variable name="count" select="h:page-count(count($entries))"/>
    <xsl:sequence select="map:merge(for $n in 1 to $count return
        h:page(h:page-href('calendar.html', $n), h:calendar-page($site, $n, $count, $years, $year-page)))"/>
  </xsl:template>

  <xsl:function name="h:calendar-page" as="document-node()">
    <xsl:param name="site" as="element(site)"/>
    <xsl:param name="n" as="xs:integer"/>
    <xsl:param name="count" as="xs:integer"/>
    <xsl:param name="years" as="xs:string*"/>
    <xsl:param name="year-page" as="map(*)"/>
    <xsl:variable name="rows" select="h:page-rows($site/entry, $n)"/>
    <xsl:call-template name="h:shell">
      <xsl:with-param name="title" select="'Calendar of documents' || h:page-label($n, $count)"/>
      <xsl:with-param name="section" select="'calendar'"/>
      <xsl:with-param name="kind" select="'calendar'"/>
      <xsl:with-param name="href" select="h:page-href('calendar.html', $n)"/>
      <xsl:with-param name="content" as="node()*">
        <h1>Calendar of documents<xsl:value-of select="h:page-label($n, $count)"/></h1>
        <p class="lead">All <xsl:value-of select="count($site/entry)"/> documents of the edition in the order of their dates<xsl:if test="$count gt 1">,
            <xsl:value-of select="$rows-per-page"/> to a page; this page shows numbers <xsl:value-of select="($n - 1) * $rows-per-page + 1"/>–<xsl:value-of select="($n - 1) * $rows-per-page + count($rows)"/></xsl:if>.
          Select a column heading to sort by it<xsl:if test="$count gt 1"> (this page)</xsl:if>; select it again to reverse the order.
          Documents are also listed <a href="collections.html">by collection</a> and <a href="correspondents.html">by correspondent</a>.</p>
        <nav class="years" aria-label="Years">
          <ul>
            <xsl:for-each select="$years">
              <li><a href="{if ($year-page(.) eq $n) then '' else h:page-href('calendar.html', $year-page(.))}#y{.}"><xsl:value-of select="."/></a></li>
            </xsl:for-each>
          </ul>
        </nav>
        <xsl:call-template name="h:pager">
          <xsl:with-param name="first" select="'calendar.html'"/>
          <xsl:with-param name="n" select="$n"/>
          <xsl:with-param name="count" select="$count"/>
          <xsl:with-param name="label" select="'Pages of the calendar'"/>
        </xsl:call-template>
        <xsl:call-template name="h:document-table">
          <xsl:with-param name="entries" select="$rows"/>
          <xsl:with-param name="caption" select="'Documents by date' || h:page-label($n, $count)"/>
          <xsl:with-param name="year-anchors" select="true()"/>
        </xsl:call-template>
        <xsl:call-template name="h:pager">
          <xsl:with-param name="first" select="'calendar.html'"/>
          <xsl:with-param name="n" select="$n"/>
          <xsl:with-param name="count" select="$count"/>
          <xsl:with-param name="label" select="'Pages of the calendar (end of the table)'"/>
        </xsl:call-template>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:function>

</xsl:stylesheet>

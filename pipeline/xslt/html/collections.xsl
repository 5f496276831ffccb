<?xml version="1.0" encoding="UTF-8"?>
<!-- Entry stylesheet: the collections (collections.html) and one page per collection
     (collections/<source>.html) listing its documents in the order of the source. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:h="https://edition-pipeline.example/ns/html"
    exclude-result-prefixes="#all">

  <xsl:import href="lists.xsl"/>

  <xsl:template match="/site">
    <xsl:variable name="site" select="."/>
    <xsl:variable name="index">
      <xsl:call-template name="h:shell">
        <xsl:with-param name="title" select="'Collections'"/>
        <xsl:with-param name="section" select="'collections'"/>
        <xsl:with-param name="kind" select="'collections'"/>
        <xsl:with-param name="content" as="node()*">
          <h1>Collections</h1>
          <p class="lead">The edition is made from <xsl:value-of select="count(source)"/> raw texts, each the printing of a collection of documents.</p>
          <xsl:for-each select="source">
            <section class="collection" aria-labelledby="c-{@id}">
              <h2 id="c-{@id}"><a href="collections/{@id}.html"><xsl:value-of select="@title"/></a></h2>
              <xsl:apply-templates select="." mode="describe"/>
            </section>
          </xsl:for-each>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:variable>
    <xsl:sequence select="map:merge((h:page('collections.html', $index),
        for $s in source return h:collection-pages($s)))"
        xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>
  </xsl:template>

  <xsl:template match="source" mode="describe">
    <xsl:param name="base" as="xs:string" tunnel="yes" select="''"/>
    <dl class="collection-meta">
      <xsl:if test="@subtitle"><dt>Subtitle</dt><dd><xsl:value-of select="@subtitle"/></dd></xsl:if>
      <xsl:if test="compiler"><dt>Compiled by</dt><dd><xsl:value-of select="compiler" separator=", "/></dd></xsl:if>
      <xsl:if test="editor"><dt>Edited by</dt><dd><xsl:value-of select="editor" separator=", "/></dd></xsl:if>
      <xsl:if test="@year"><dt>Year</dt><dd><xsl:value-of select="@year"/></dd></xsl:if>
      <xsl:if test="@based-on"><dt>Based on</dt><dd><xsl:value-of select="@based-on"/></dd></xsl:if>
      <xsl:if test="@site"><dt>Web site</dt><dd><xsl:value-of select="@site"/></dd></xsl:if>
      <xsl:if test="licence"><dt>Licence</dt><dd><xsl:value-of select="licence/@name"/></dd></xsl:if>
      <dt>Raw text</dt><dd><a href="{$base}{@file}"><code><xsl:value-of select="@file"/></code></a></dd>
      <dt>Documents</dt><dd><xsl:value-of select="@count"/></dd>
    </dl>
    <xsl:if test="notes"><p class="collection-notes"><xsl:value-of select="notes"/></p></xsl:if>
  </xsl:template>

  <!-- a collection's documents in pages: collections/<id>.html, collections/<id>-p2.html, … -->
  <xsl:function name="h:collection-pages" as="map(*)*">
    <xsl:param name="source" as="element(source)"/>
    <xsl:variable name="entries" as="element(entry)*">
      <!-- the order of the source: the line where each document begins -->
      <xsl:perform-sort select="root($source)/site/entry[@source = $source/@id]">
        <xsl:sort select="if (@line castable as xs:integer) then xs:integer(@line) else 0"/>
      </xsl:perform-sort>
    </xsl:variable>
    <xsl:variable name="count" select="h:page-count(count($entries))"/>
    <xsl:sequence select="for $n in 1 to $count return h:page(h:page-href('collections/' || $source/@id || '.html', $n),
        h:collection($source, h:page-rows($entries, $n), $n, $count))"/>
  </xsl:function>

  <xsl:function name="h:collection" as="document-node()">
    <xsl:param name="source" as="element(source)"/>
    <xsl:param name="entries" as="element(entry)*"/>
    <xsl:param name="n" as="xs:integer"/>
    <xsl:param name="count" as="xs:integer"/>
    <xsl:variable name="first" select="$source/@id || '.html'"/>
    <xsl:call-template name="h:shell">
      <xsl:with-param name="title" select="string($source/@title) || h:page-label($n, $count)"/>
      <xsl:with-param name="base" select="'../'"/>
      <xsl:with-param name="section" select="'collections'"/>
      <xsl:with-param name="kind" select="'collection'"/>
      <xsl:with-param name="content" as="node()*">
        <nav class="breadcrumbs" aria-label="Breadcrumb">
          <ol><li><a href="../collections.html">Collections</a></li>
            <li><span aria-current="page"><xsl:value-of select="upper-case($source/@id)"/></span></li></ol>
        </nav>
        <h1><xsl:value-of select="$source/@title"/></h1>
        <xsl:apply-templates select="$source" mode="describe">
          <xsl:with-param name="base" select="'../'" tunnel="yes"/>
        </xsl:apply-templates>
        <xsl:call-template name="h:pager">
          <xsl:with-param name="first" select="$first"/>
          <xsl:with-param name="n" select="$n"/>
          <xsl:with-param name="count" select="$count"/>
          <xsl:with-param name="label" select="'Pages of the collection'"/>
        </xsl:call-template>
        <xsl:call-template name="h:document-table">
          <xsl:with-param name="entries" select="$entries"/>
          <xsl:with-param name="base" select="'../'"/>
          <xsl:with-param name="caption" select="'Documents in the order of the source' || h:page-label($n, $count)"/>
          <xsl:with-param name="show-collection" select="false()"/>
          <xsl:with-param name="sorted" select="false()"/>
        </xsl:call-template>
        <xsl:call-template name="h:pager">
          <xsl:with-param name="first" select="$first"/>
          <xsl:with-param name="n" select="$n"/>
          <xsl:with-param name="count" select="$count"/>
          <xsl:with-param name="label" select="'Pages of the collection (end of the table)'"/>
        </xsl:call-template>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:function>

</xsl:stylesheet>

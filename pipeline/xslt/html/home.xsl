<?xml version="1.0" encoding="UTF-8"?>
<!--
  Entry stylesheet: the home page (index.html) from edition.yaml (in the catalogue's
  <edition> and <source> elements): title, editors, introduction, editorial principles
  with a key to the signs used in the text, licence, how to cite, the collections.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:h="https://edition-pipeline.example/ns/html"
    xmlns:array="http://www.w3.org/2005/xpath-functions/array"
    exclude-result-prefixes="#all">

  <xsl:import href="lists.xsl"/>

  <!-- [[href, title]] of the print edition's PDF files in the site (pipeline/html/__init__.py) -->
  <xsl:param name="pdf-volumes" as="xs:string" select="'[]'"/>

  <xsl:template match="/site">
    <xsl:variable name="ed" select="edition"/>
    <xsl:variable name="dated" select="entry[@date != '']"/>
    <xsl:sequence select="h:page('index.html', h:home(.))"/>
  </xsl:template>

  <xsl:function name="h:home" as="document-node()">
    <xsl:param name="site" as="element(site)"/>
    <xsl:variable name="ed" select="$site/edition"/>
    <xsl:variable name="dated" select="$site/entry[@date != '']"/>
    <xsl:call-template name="h:shell">
      <xsl:with-param name="title" select="string($ed/@title)"/>
      <xsl:with-param name="section" select="'home'"/>
      <xsl:with-param name="kind" select="'home'"/>
      <xsl:with-param name="href" select="'index.html'"/>
      <xsl:with-param name="head-extra" as="node()*" select="h:cite-meta(parse-json($edition-cite))"/>
      <xsl:with-param name="description" select="normalize-space($ed/introduction)"/>
      <xsl:with-param name="content" as="node()*">
        <div class="home">
          <header class="home-header">
            <h1><xsl:value-of select="$ed/@title"/></h1>
            <xsl:if test="$ed/@subtitle"><p class="subtitle"><xsl:value-of select="$ed/@subtitle"/></p></xsl:if>
            <p class="editors">
              <xsl:for-each select="$ed/credit">
                <xsl:value-of select="@role || ' ' || . || '. '"/>
              </xsl:for-each>
              <xsl:if test="$ed/@publisher">Published by <xsl:value-of select="$ed/@publisher"/></xsl:if>
              <xsl:if test="$ed/@year">, <xsl:value-of select="$ed/@year"/></xsl:if>
              <xsl:text>.</xsl:text>
            </p>
            <p class="extent">
              <a href="calendar.html"><xsl:value-of select="count($site/entry)"/> documents</a>
              <xsl:if test="exists($dated)">
                <xsl:text> dated from </xsl:text><xsl:value-of select="$dated[1]/@date-label"/>
                <xsl:text> to </xsl:text><xsl:value-of select="$dated[last()]/@date-label"/>
              </xsl:if>
              <xsl:text>, from </xsl:text>
              <a href="collections.html"><xsl:value-of select="count($site/source)"/> collections</a>.
            </p>
          </header>

          <section aria-labelledby="intro-title">
            <h2 id="intro-title">Introduction</h2>
            <xsl:call-template name="h:paragraphs"><xsl:with-param name="text" select="$ed/introduction"/></xsl:call-template>
            <ul class="collections-brief">
              <xsl:for-each select="$site/source">
                <li><a href="collections/{@id}.html"><cite><xsl:value-of select="@title"/></cite></a>
                  <xsl:value-of select="' (' || upper-case(@id) || (if (@site) then ', ' || @site else '') || '; '
                      || @count || (if (@count = '1') then ' document)' else ' documents)')"/></li>
              </xsl:for-each>
            </ul>
          </section>

          <section aria-labelledby="principles-title">
            <h2 id="principles-title">Editorial principles</h2>
            <xsl:call-template name="h:paragraphs"><xsl:with-param name="text" select="$ed/principles"/></xsl:call-template>
            <p>How the text is shown (hover over or focus a sign in a document to see what the source prints):</p>
            <dl class="key">
              <dt><span class="app gap" tabindex="0" aria-describedby="key-gap-tip">[…]<span class="tip" role="tooltip" id="key-gap-tip">Passage omitted by the compilers; printed as “.....”.</span></span></dt>
              <dd>A passage the compilers left out, whatever sign the source prints for it (“.....”, “[...]”, “&lt;…&gt;”).</dd>
              <dt><span class="app supplied" tabindex="0" aria-describedby="key-sup-tip"><span class="bracket">[</span>government<span class="bracket">]</span><span class="tip" role="tooltip" id="key-sup-tip">Supplied by the compilers; printed in square brackets: “[government]”.</span></span></dt>
              <dd>Words the compilers supplied in square brackets.</dd>
              <dt><span class="app corr" tabindex="0" aria-describedby="key-corr-tip">op. 1<span class="tip" role="tooltip" id="key-corr-tip">Printed “on 1”; read as “op. 1” by the conversion program (a guess to be checked) (certainty: medium).</span></span></dt>
              <dd>A reading corrected where the source is damaged (mostly OCR errors in archival references); the printed reading and who corrected it are shown on hover or focus.</dd>
              <dt><a class="fn-ref" href="#principles-title" aria-label="Note 1 (an example)"><sup>1</sup></a></dt>
              <dd>A note. Notes are numbered per document; the marker the source prints (“*”, “1”, “[1]”) is given with the note. Notes whose text the source does not give (endnotes of the printed volume) are listed as such.</dd>
              <dt><span class="note-inline">(Emphasis added – Y.B.)</span></dt>
              <dd>A remark of the compilers printed in the running text.</dd>
              <dt><span class="classification">Top secret</span></dt>
              <dd>A classification or handling mark of the document.</dd>
            </dl>
          </section>

          <xsl:call-template name="h:cite">
            <xsl:with-param name="cite" select="parse-json($edition-cite)"/>
            <xsl:with-param name="title" select="'How to cite this edition'"/>
          </xsl:call-template>

          <section aria-labelledby="licence-title">
            <h2 id="licence-title">Licence and files</h2>
            <p>
              <xsl:text>The edition is published under </xsl:text>
              <xsl:choose>
                <xsl:when test="$ed/@licence-url"><a href="{$ed/@licence-url}" rel="license"><xsl:value-of select="$ed/@licence-name"/></a></xsl:when>
                <xsl:otherwise><xsl:value-of select="$ed/@licence-name"/></xsl:otherwise>
              </xsl:choose>
              <xsl:text>. The TEI P5 files it is made from are part of this site (</xsl:text>
              <a href="tei/edition.xml">tei/edition.xml</a>
              <xsl:text> describes the edition; every document page links its own file), as are the raw texts they were converted from.</xsl:text>
            </p>
            <p>
              <a href="tei.zip" download="">Download all TEI files</a>
              <xsl:text> (one zip with the edition file, the registers, every document and the schemas).</xsl:text>
            </p>
            <p>
              <a href="edition.epub" download="" type="application/epub+zip">The edition as an e-book (EPUB 3)</a>
              <xsl:text>: the introduction and every document in date order, with its notes, source and citation.</xsl:text>
            </p>
            <xsl:variable name="volumes" select="array:flatten(parse-json($pdf-volumes))"/>
            <xsl:if test="exists($volumes)">
              <p class="pdf-volumes">The print edition (PDF):
                <xsl:for-each select="parse-json($pdf-volumes)?*">
                  <xsl:if test="position() gt 1"><xsl:text> · </xsl:text></xsl:if>
                  <a href="{?1}" type="application/pdf"><xsl:value-of select="?2"/></a>
                </xsl:for-each>
              </p>
            </xsl:if>
          </section>
        </div>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:function>

</xsl:stylesheet>

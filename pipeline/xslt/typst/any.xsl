<?xml version="1.0" encoding="UTF-8"?>
<!--
  Entry stylesheet: Typst markup for any TEI file (edition pdf PATH…, no configuration):
  the title as a level-1 heading, then every text of the file with all its divisions.
  Headings of divisions become Typst headings by depth; paragraphs, verse lines, list
  items and table rows are paragraphs; notes and the other readings of a choice stay in the
  text in brackets; any other element gives its text. All text passes through tp:text.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tp="https://edition-pipeline.example/ns/typst"
    exclude-result-prefixes="#all">

  <xsl:import href="escape.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:param name="file-name" as="xs:string" select="''"/>

  <xsl:variable name="blocks" as="xs:string*" select="('text', 'front', 'body', 'back', 'group', 'div', 'div1',
      'div2', 'div3', 'div4', 'div5', 'div6', 'div7', 'p', 'ab', 'lg', 'l', 'sp', 'list', 'item', 'table', 'row',
      'figure', 'floatingText', 'opener', 'closer', 'postscript', 'listBibl', 'epigraph', 'argument', 'trailer',
      'byline', 'dateline', 'salute', 'signed', 'stage', 'speaker', 'titlePage', 'docTitle', 'titlePart',
      'docImprint', 'docAuthor', 'docDate', 'quote', 'cit', 'label', 'u', 'castList', 'eg', 'egXML')"/>

  <xsl:template match="/">
    <xsl:variable name="title" select="(normalize-space((//tei:titleStmt/tei:title)[1])[.], $file-name)[1]"/>
    <xsl:text>#pagebreak(weak: true)&#10;#heading(level: 1)[</xsl:text>
    <xsl:value-of select="tp:text($title)"/>
    <xsl:text>]&#10;&#10;</xsl:text>
    <xsl:apply-templates select="//tei:text[not(ancestor::tei:text)]"/>
  </xsl:template>

  <xsl:template match="tei:head">
    <xsl:variable name="depth" select="count(ancestor::*[matches(local-name(), '^(div\d?|group|floatingText)$')])"/>
    <xsl:text>&#10;&#10;#heading(level: </xsl:text>
    <xsl:value-of select="min((($depth + 1), 6))"/>
    <xsl:text>, outlined: false)[</xsl:text>
    <xsl:apply-templates/>
    <xsl:text>]&#10;&#10;</xsl:text>
  </xsl:template>

  <xsl:template match="tei:note"> \[<xsl:apply-templates/>\] </xsl:template>
  <xsl:template match="tei:choice/*[position() gt 1]"> \[<xsl:apply-templates/>\]</xsl:template>
  <xsl:template match="tei:gap"> \[…\] <xsl:apply-templates/></xsl:template>
  <xsl:template match="tei:pb"> \[<xsl:value-of select="tp:text((@n, 'page')[1])"/>\] </xsl:template>
  <xsl:template match="tei:lb"><xsl:text> #linebreak() </xsl:text></xsl:template>
  <xsl:template match="tei:cell"><xsl:apply-templates/><xsl:text> \| </xsl:text></xsl:template>

  <xsl:template match="*">
    <xsl:choose>
      <xsl:when test="local-name() = $blocks">
        <xsl:text>&#10;&#10;</xsl:text>
        <xsl:apply-templates/>
        <xsl:text>&#10;&#10;</xsl:text>
      </xsl:when>
      <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="text()"><xsl:value-of select="tp:text(.)"/></xsl:template>
  <xsl:template match="comment() | processing-instruction()"/>
</xsl:stylesheet>

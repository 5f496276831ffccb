<?xml version="1.0" encoding="UTF-8"?>
<!--
  Fallback rendering of any TEI element in HTML, so that no text is ever lost: a module
  that entry stylesheets import (its templates have the lowest priority, so every more
  specific template wins). Known structures get their HTML counterparts (divisions and
  headings, paragraphs, verse lines, lists, tables, line and page breaks); any other
  element becomes a span (or a div when it holds blocks) with the class tei-<name>, and
  its text is kept. Both readings of a choice and every note stay in the text.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:fb="https://edition-pipeline.example/ns/fallback"
    exclude-result-prefixes="#all">

  <xsl:variable name="fb:blocks" as="xs:string*" select="('text', 'front', 'body', 'back', 'group', 'div', 'div1',
      'div2', 'div3', 'div4', 'div5', 'div6', 'div7', 'p', 'ab', 'head', 'lg', 'l', 'sp', 'list', 'item', 'table',
      'row', 'cell', 'figure', 'floatingText', 'opener', 'closer', 'postscript', 'listBibl', 'bibl', 'castList',
      'epigraph', 'argument', 'trailer', 'byline', 'dateline', 'salute', 'signed', 'stage', 'speaker', 'titlePage',
      'docTitle', 'titlePart', 'docImprint', 'docAuthor', 'docDate', 'listPerson', 'person', 'listPlace', 'place',
      'quote', 'cit', 'eg', 'egXML', 'label', 'u', 'app', 'lem', 'rdg')"/>

  <xsl:function name="fb:is-block" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="local-name($el) = $fb:blocks and namespace-uri($el) = 'http://www.tei-c.org/ns/1.0'"/>
  </xsl:function>

  <xsl:function name="fb:depth" as="xs:integer">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="count($el/ancestor::*[matches(local-name(), '^(div\d?|group|floatingText)$')])"/>
  </xsl:function>

  <xsl:template match="tei:head" priority="-10">
    <xsl:element name="{'h' || min((fb:depth(.) + 1, 6))}">
      <xsl:attribute name="class" select="'tei-head'"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:p | tei:ab" priority="-10">
    <xsl:element name="{if (.//*[fb:is-block(.)]) then 'div' else 'p'}">
      <xsl:attribute name="class" select="'tei-' || local-name()"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:list | tei:listBibl" priority="-10">
    <ul class="tei-{local-name()}"><xsl:apply-templates/></ul>
  </xsl:template>

  <xsl:template match="tei:list/tei:item | tei:listBibl/tei:bibl" priority="-9">
    <li class="tei-{local-name()}"><xsl:apply-templates/></li>
  </xsl:template>

  <xsl:template match="tei:table" priority="-10">
    <table class="tei-table"><xsl:apply-templates/></table>
  </xsl:template>

  <xsl:template match="tei:table/tei:head" priority="-9">
    <caption><xsl:apply-templates/></caption>
  </xsl:template>

  <xsl:template match="tei:row" priority="-10">
    <tr><xsl:apply-templates/></tr>
  </xsl:template>

  <xsl:template match="tei:cell" priority="-10">
    <td><xsl:apply-templates/></td>
  </xsl:template>

  <xsl:template match="tei:lb" priority="-10"><br/></xsl:template>

  <xsl:template match="tei:pb" priority="-10">
    <span class="tei-pb">[<xsl:value-of select="(@n, 'page')[1]"/>]</span>
  </xsl:template>

  <xsl:template match="tei:gap" priority="-10">
    <span class="tei-gap">[…]</span><xsl:apply-templates/>
  </xsl:template>

  <xsl:template match="tei:note" priority="-10">
    <span class="tei-note"> [<xsl:apply-templates/>] </span>
  </xsl:template>

  <xsl:template match="tei:choice/*[position() gt 1]" priority="-9">
    <span class="tei-{local-name()}"> [<xsl:apply-templates/>]</span>
  </xsl:template>

  <!-- any other element: its text, in a span or (when it holds blocks) a div -->
  <xsl:template match="*" priority="-20">
    <xsl:element name="{if (fb:is-block(.) or .//*[fb:is-block(.)]) then 'div' else 'span'}">
      <xsl:attribute name="class" select="'tei-' || local-name()"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="comment() | processing-instruction()" priority="-20"/>
</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  The variants of a document printed more than once, for the print edition (included by
  volume.xsl; docs/witnesses.md).

  The text prints the base text (each app's lem) with a letter marker (a, b, … z, aa, …,
  per document) after every place where a witness reads otherwise: a second series of
  notes, set at the foot of the page below the numbered notes (vn in the page design),
  keyed by those letters:
      a  Tsentrosoyuz,] Tsentosoyuz, ssd-19200617
      b  in Romania.] om. ssd-19401115c
      c  add. in Romania ssd-19401115c
  The sigla are the witnesses' former document ids, explained after the document's source
  notes (collection and number; no raw-text paths in print).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition-pipeline.example/ns/edition"
    xmlns:tp="https://edition-pipeline.example/ns/typst"
    exclude-result-prefixes="#all">

  <!-- a, b, … z, aa, ab, …: the app's position among the document's apps -->
  <xsl:function name="tp:app-mark" as="xs:string">
    <xsl:param name="app" as="element(tei:app)"/>
    <xsl:variable name="n" select="count($app/preceding::tei:app[ed:document(.) is ed:document($app)]) + 1"/>
    <xsl:sequence select="tp:letters($n)"/>
  </xsl:function>

  <xsl:function name="tp:letters" as="xs:string">
    <xsl:param name="n" as="xs:integer"/>
    <xsl:variable name="alphabet" select="'abcdefghijklmnopqrstuvwxyz'"/>
    <xsl:sequence select="(if ($n gt 26) then tp:letters(($n - 1) idiv 26) else '')
        || substring($alphabet, (($n - 1) mod 26) + 1, 1)"/>
  </xsl:function>

  <xsl:function name="tp:sigla" as="xs:string">
    <xsl:param name="reading" as="element()"/>
    <xsl:variable name="ids" select="tokenize(normalize-space($reading/@wit), ' ') ! substring-after(., '#')"/>
    <xsl:sequence select="string-join(root($reading)//tei:listWit/tei:witness[@xml:id = $ids] ! string(@n), ', ')"/>
  </xsl:function>

  <!-- In the text: the base's reading, then the variant's letter, a footnote of the
       second series (vn in the page design: at the foot of the page, below the numbered
       notes). In a document's opening only the letter: the note itself is carried to
       the first text, like the opening's footnotes (document.xsl). -->
  <xsl:template match="tei:app">
    <xsl:param name="in-opening" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:apply-templates select="tei:lem/node()"/>
    <xsl:choose>
      <xsl:when test="$in-opening">
        <xsl:text>#vn-mark(</xsl:text>
        <xsl:value-of select="tp:string(tp:app-mark(.))"/>
        <xsl:text>)</xsl:text>
      </xsl:when>
      <xsl:otherwise>
        <xsl:apply-templates select="." mode="variant-note"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The variant's note: "Tsentrosoyuz,] Tsentosoyuz, ssd-19200617"; "om." for an
       omission, "add." for an addition; the sigla are the witnesses' former ids. -->
  <xsl:template match="tei:app" mode="variant-note">
    <xsl:text>#vn(</xsl:text>
    <xsl:value-of select="tp:string(tp:app-mark(.))"/>
    <xsl:text>)[</xsl:text>
    <xsl:variable name="lem" select="normalize-space(string(tei:lem))"/>
    <xsl:if test="$lem">
      <xsl:value-of select="tp:text($lem || ']')"/>
      <xsl:text> </xsl:text>
    </xsl:if>
    <xsl:for-each select="tei:rdg">
      <xsl:variable name="text" select="normalize-space(string(.))"/>
      <xsl:value-of select="tp:text(if (not($text)) then 'om.' else if (not($lem)) then 'add. ' || $text else $text)"/>
      <xsl:text> #emph[</xsl:text>
      <xsl:value-of select="tp:text(tp:sigla(.))"/>
      <xsl:text>]</xsl:text>
      <xsl:if test="position() != last()">; </xsl:if>
    </xsl:for-each>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <!-- After the document: its witnesses, which the sigla of the variants name. -->
  <xsl:template name="tp:apparatus">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:param name="doc-id" as="xs:string" tunnel="yes"/>
    <xsl:variable name="apps" select="ed:document($tei)//tei:app"/>
    <xsl:variable name="wits" select="$tei//tei:sourceDesc/tei:listWit/tei:witness"/>
    <xsl:if test="count($wits) gt 1">
      <xsl:text>&#10;// @ </xsl:text>
      <xsl:value-of select="tp:comment($doc-id || ' apparatus')"/>
      <xsl:text>&#10;#witnesses-note[</xsl:text>
      <xsl:for-each select="$wits">
        <xsl:variable name="bibl" select="tei:bibl[1]"/>
        <!-- the collection's title in italics, as in the source line -->
        <xsl:value-of select="tp:text(@n || ': ')"/>
        <xsl:text>#emph[</xsl:text>
        <xsl:value-of select="tp:text(normalize-space($bibl/tei:title[1]))"/>
        <xsl:text>]</xsl:text>
        <xsl:value-of select="tp:text(string-join($bibl/tei:citedRange[@unit = 'document'] ! (', ' || normalize-space(.)))
            || (if (position() = 1) then ' (base text)' else '') || (if (position() = last()) then '.' else '; '))"/>
      </xsl:for-each>
      <xsl:text> </xsl:text>
      <xsl:value-of select="tp:text(if (empty($apps))
          then 'The witnesses differ only in spelling, punctuation and typography.'
          else 'Their variants are given at the foot of the page, lettered.')"/>
      <xsl:text>]&#10;</xsl:text>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>

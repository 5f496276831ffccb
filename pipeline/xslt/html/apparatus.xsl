<?xml version="1.0" encoding="UTF-8"?>
<!--
  The variants of a document printed more than once (imported by document.xsl).

  The merged TEI holds the base text with an apparatus in parallel segmentation:
  app = lem (the base's reading, @wit the witnesses that agree) + rdg (each other reading).
    in the text          the base's reading, dotted; hover/focus shows every reading and its witnesses
    a switch             read the base text with its variants, one witness in full, or side by side
    side by side         one column per witness, block by block
  The switch is radio buttons and CSS (assets/witnesses.css): it works without script.
  The tunnel parameter $read-wit (a witness's xml:id) makes every app give that witness's
  reading only; the side-by-side view uses it for each column.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition-pipeline.example/ns/edition"
    xmlns:h="https://edition-pipeline.example/ns/html"
    exclude-result-prefixes="#all">

  <!-- the witnesses of the document, base first -->
  <xsl:function name="h:witnesses" as="element(tei:witness)*">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="root($node)//tei:sourceDesc/tei:listWit/tei:witness"/>
  </xsl:function>

  <!-- "w1 w2": the classes of the witnesses a reading names (position in the listWit) -->
  <xsl:function name="h:wit-classes" as="xs:string">
    <xsl:param name="reading" as="element()"/>
    <xsl:variable name="ids" select="h:witnesses($reading) ! string(@xml:id)"/>
    <xsl:sequence select="string-join(tokenize(normalize-space($reading/@wit), ' ') ! substring-after(., '#')
        ! index-of($ids, .) ! ('w' || .), ' ')"/>
  </xsl:function>

  <!-- a witness as the reader knows it: its collection and number -->
  <xsl:function name="h:wit-label" as="xs:string">
    <xsl:param name="wit" as="element(tei:witness)"/>
    <xsl:variable name="bibl" select="$wit/tei:bibl[1]"/>
    <xsl:variable name="number" select="normalize-space($bibl/tei:citedRange[@unit = 'document'][1])"/>
    <xsl:sequence select="normalize-space($bibl/tei:title[1]) || (if ($number) then ', ' || $number else '')
        || ' (' || $wit/@n || ')'"/>
  </xsl:function>

  <xsl:function name="h:wit-short" as="xs:string">
    <xsl:param name="wit" as="element(tei:witness)"/>
    <xsl:sequence select="string($wit/@n)"/>
  </xsl:function>

  <xsl:function name="h:reading-tip" as="xs:string">
    <xsl:param name="reading" as="element()"/>
    <xsl:variable name="ids" select="tokenize(normalize-space($reading/@wit), ' ') ! substring-after(., '#')"/>
    <xsl:variable name="names" select="h:witnesses($reading)[@xml:id = $ids] ! h:wit-short(.)"/>
    <xsl:variable name="text" select="normalize-space(string($reading))"/>
    <xsl:sequence select="string-join($names, ', ') || (if ($reading/self::tei:lem) then ' (base)' else '') || ': '
        || (if ($text) then '“' || $text || '”' else 'omits')"/>
  </xsl:function>

  <xsl:template match="tei:app">
    <xsl:param name="read-wit" as="xs:string" tunnel="yes" select="''"/>
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:choose>
      <xsl:when test="$read-wit">
        <xsl:apply-templates select="(tei:lem | tei:rdg)[tokenize(normalize-space(@wit), ' ') = '#' || $read-wit][1]/node()"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="tag" select="if (not($inline) and (parent::tei:div | parent::tei:sp | parent::tei:list
            | parent::tei:postscript | parent::tei:body)) then 'div' else 'span'"/>
        <xsl:variable name="tip-id" select="h:node-id(.) || '-tip'"/>
        <xsl:element name="{$tag}">
          <xsl:attribute name="class" select="normalize-space('app variant ' || @type)"/>
          <xsl:attribute name="tabindex" select="0"/>
          <xsl:attribute name="aria-describedby" select="$tip-id"/>
          <xsl:for-each select="tei:lem | tei:rdg">
            <xsl:element name="{$tag}">
              <xsl:attribute name="class" select="local-name() || ' ' || h:wit-classes(.)"/>
              <xsl:apply-templates/>
              <xsl:if test="self::tei:lem and not(node())">
                <span class="variant-sign" aria-hidden="true">‸</span>
              </xsl:if>
            </xsl:element>
          </xsl:for-each>
          <span class="tip" role="tooltip" id="{$tip-id}">
            <xsl:value-of select="'Variant' || (if (@type) then ' (' || replace(@type, '-', ' ') || ')' else '') || '. '
                || string-join((tei:lem | tei:rdg) ! h:reading-tip(.), ' · ')"/>
          </span>
        </xsl:element>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The switch between the ways of reading, before the text. -->
  <xsl:template name="h:witness-switch">
    <xsl:variable name="wits" select="h:witnesses(.)"/>
    <xsl:if test="count($wits) gt 1">
      <link rel="stylesheet" href="{$base}assets/witnesses.css"/>
      <fieldset class="witness-switch">
        <legend>This document is printed in <xsl:value-of select="count($wits)"/> witnesses. Read</legend>
        <label><input type="radio" name="reading" id="reading-app" checked="checked"/> the base text with the variants
          (<xsl:value-of select="count(//tei:app)"/>)</label>
        <xsl:for-each select="$wits">
          <label><input type="radio" name="reading" id="reading-w{position()}"/>
            <xsl:value-of select="' ' || h:wit-short(.) || (if (position() = 1) then ' (base text)' else '')"/></label>
        </xsl:for-each>
        <label><input type="radio" name="reading" id="reading-sbs"/> side by side</label>
      </fieldset>
    </xsl:if>
  </xsl:template>

  <!-- The witnesses side by side, block by block (hidden until chosen). -->
  <xsl:template name="h:side-by-side">
    <xsl:param name="div" as="element()?"/>
    <xsl:variable name="wits" select="h:witnesses(.)"/>
    <xsl:if test="count($wits) gt 1 and exists($div)">
      <div class="sbs" role="region" aria-label="The witnesses side by side">
        <table>
          <thead>
            <tr><xsl:for-each select="$wits"><th scope="col"><xsl:value-of select="h:wit-label(.)"/></th></xsl:for-each></tr>
          </thead>
          <tbody>
            <xsl:for-each select="$div/*[not(self::tei:note[@type = 'source'])]">
              <xsl:variable name="block" select="."/>
              <tr>
                <xsl:for-each select="$wits">
                  <xsl:variable name="cell" as="node()*">
                    <xsl:apply-templates select="$block">
                      <xsl:with-param name="read-wit" select="string(@xml:id)" tunnel="yes"/>
                    </xsl:apply-templates>
                  </xsl:variable>
                  <td><xsl:apply-templates select="$cell" mode="h:copy-without-ids"/></td>
                </xsl:for-each>
              </tr>
            </xsl:for-each>
          </tbody>
        </table>
      </div>
    </xsl:if>
  </xsl:template>

  <!-- the columns repeat the text: no ids, no tooltips, no note links -->
  <xsl:template match="element()" mode="h:copy-without-ids">
    <xsl:copy>
      <xsl:copy-of select="@* except (@id, @aria-describedby, @tabindex, @href, @role)"/>
      <xsl:apply-templates mode="#current"/>
    </xsl:copy>
  </xsl:template>
  <xsl:template match="*[tokenize(@class) = 'tip']" mode="h:copy-without-ids"/>
  <xsl:template match="a" mode="h:copy-without-ids">
    <span class="{@class}"><xsl:apply-templates mode="#current"/></span>
  </xsl:template>
  <xsl:template match="text()" mode="h:copy-without-ids"><xsl:copy/></xsl:template>

  <!-- The witnesses in the document's description: each printing with its collection and lines. -->
  <xsl:template name="h:list-wit">
    <xsl:variable name="wits" select="h:witnesses(.)"/>
    <xsl:if test="count($wits) gt 1">
      <section class="doc-listwit" aria-labelledby="listwit-title">
        <h2 id="listwit-title">Witnesses</h2>
        <p>This edition gives one text for the printings of this document: the first is the base
          text, the others' readings are its variants.</p>
        <ol>
          <xsl:for-each select="$wits">
            <li>
              <xsl:value-of select="h:wit-label(.)"/>
              <xsl:for-each select="tei:bibl/tei:ref[@type = 'origin']">
                <xsl:text>; </xsl:text>
                <a href="{$base}{h:source-href(@target)}"><xsl:value-of select="normalize-space(.)"/></a>
              </xsl:for-each>
              <xsl:if test="position() = 1"> — base text</xsl:if>
            </li>
          </xsl:for-each>
        </ol>
      </section>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>

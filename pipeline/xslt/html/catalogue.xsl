<?xml version="1.0" encoding="UTF-8"?>
<!--
  Entry stylesheet: the catalogue entry of one document (XML, no namespace).

  pipeline/html.py applies it to every document, gathers the entries into one
  catalogue (site.xml, in calendar order) and hands that to the listing stylesheets
  (home, calendar, collections, correspondents, registers, archives). Labels and dates
  are formatted here, by the shared library, so that every page names a document the
  same way. <text> is the searchable text; Python moves it to the search index.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition-pipeline.example/ns/edition"
    xmlns:h="https://edition-pipeline.example/ns/html"
    exclude-result-prefixes="#all">

  <xsl:import href="../lib/edition.xsl"/>
  <xsl:import href="shell.xsl"/>

  <xsl:output method="xml" encoding="UTF-8" indent="no" omit-xml-declaration="yes"/>

  <xsl:template match="/">
    <xsl:variable name="doc" select="."/>
    <xsl:variable name="div" select="(ed:document(.), //tei:text)[1]"/>
    <xsl:variable name="date" select="ed:doc-date(.)"/>
    <xsl:variable name="origin" select="string(//tei:sourceDesc/tei:bibl/tei:ref[@type = 'origin']/@target)"/>
    <entry id="{ed:doc-id(.)}" source="{ed:source-id(.)}" n="{ed:doc-number(.)}" type="{ed:doc-type(.)}"
        date="{ed:date-iso($date)}" date-label="{ed:date-label($date)}" place="{ed:place-of-writing(.)}" place-ref="{ed:place-of-writing-ref(.)}"
        line="{replace($origin, '^.*#line=(\d+).*$', '$1')[matches(., '^\d+$')]}"
        notes="{count(ed:footnotes(.))}">
      <xsl:if test="$date/@cert"><xsl:attribute name="date-cert" select="$date/@cert"/></xsl:if>
      <title><xsl:value-of select="ed:display-title(.)"/></title>
      <label><xsl:value-of select="ed:doc-short-label(.)"/></label>
      <!-- who: not the place an action may also name -->
      <xsl:for-each select="//tei:correspDesc/tei:correspAction[@type = ('sent', 'received')]
          /(tei:name | tei:persName | tei:orgName)">
        <xsl:element name="{if (../@type = 'sent') then 'sender' else 'addressee'}">
          <xsl:if test="@ref"><xsl:attribute name="ref" select="substring-after(tokenize(@ref, ' ')[1], '#')"/></xsl:if>
          <xsl:value-of select="normalize-space()"/>
        </xsl:element>
      </xsl:for-each>
      <xsl:for-each select="distinct-values(ed:classifications(.))">
        <class><xsl:value-of select="."/></class>
      </xsl:for-each>
      <xsl:for-each select="//tei:sourceDesc/tei:msDesc">
        <xsl:variable name="loci" select="tei:msContents/tei:msItem/tei:locus"/>
        <ms repository="{normalize-space(tei:msIdentifier/tei:repository)}"
            repository-ref="{substring-after(tei:msIdentifier/tei:repository/@ref, '#')}"
            fond="{ed:idno(., 'fond')}" opis="{ed:idno(., 'opis')}" papka="{ed:idno(., 'papka')}" delo="{ed:idno(., 'delo')}"
            folios="{string-join($loci ! substring-after(ed:locus(.), 'l. '), ', ')}"
            form="{replace(tei:physDesc/tei:objectDesc/@form, '-', ' ')}"
            citation="{ed:archival-citation(.)}"
            anchor="{h:archive-anchor(normalize-space(tei:msIdentifier/tei:repository), ed:idno(., 'fond'), ed:idno(., 'opis'), ed:idno(., 'papka'), ed:idno(., 'delo'))}">
          <xsl:if test="tei:msIdentifier/(tei:idno | tei:repository)[@cert]">
            <xsl:attribute name="cert" select="string-join(tei:msIdentifier/(tei:idno | tei:repository)[@cert] ! (@type || ' ' || @cert), ', ')"/>
          </xsl:if>
        </ms>
      </xsl:for-each>
      <xsl:for-each select="ed:witnesses(.)">
        <witness id="{.}"/>
      </xsl:for-each>
      <!-- every register entry that the document names (text and correspondence) -->
      <xsl:for-each-group select="(//tei:text | //tei:correspDesc)//(tei:persName | tei:placeName | tei:orgName | tei:name | tei:rs | tei:geogName)[@ref]
          ! (tokenize(normalize-space(@ref), ' ') ! substring-after(., '#'))[.]" group-by=".">
        <mention ref="{current-grouping-key()}" count="{count(current-group())}"/>
      </xsl:for-each-group>
      <xsl:for-each select="distinct-values(//tei:text//(tei:ref | tei:ptr)/@target ! tokenize(normalize-space(.), ' ')
          [not(matches(., '^[a-z]+:'))] ! ed:target-id(.))[.]">
        <link id="{.}"/>
      </xsl:for-each>
      <!-- the searchable text: the document as shown, notes and source note included -->
      <text><xsl:value-of select="normalize-space($div)"/></text>
    </entry>
  </xsl:template>



</xsl:stylesheet>

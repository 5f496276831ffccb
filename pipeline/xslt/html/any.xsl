<?xml version="1.0" encoding="UTF-8"?>
<!--
  Entry stylesheet: one page for any TEI file (edition html PATH…, no configuration).
  Source: a TEI (or teiCorpus) file. Every text of the file, with all its divisions, is
  rendered through the fallback module; the header gives the title.
  Parameters: $index-href (the list of all pages), $css-href.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <xsl:import href="fallback.xsl"/>

  <xsl:output method="html" html-version="5.0" encoding="UTF-8" indent="no" include-content-type="no"/>

  <xsl:param name="index-href" as="xs:string" select="'index.html'"/>
  <xsl:param name="file-name" as="xs:string" select="''"/>

  <xsl:template match="/">
    <xsl:variable name="title" select="(normalize-space((//tei:titleStmt/tei:title)[1])[.], $file-name)[1]"/>
    <html lang="{(/*/@xml:lang, //tei:text/@xml:lang, 'en')[1]}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/></title>
        <style>body{font-family:serif;max-width:42em;margin:2em auto;padding:0 1em;line-height:1.5}
.tei-note{font-size:.9em;color:#444}.tei-pb,.tei-gap{color:#777}.tei-l{display:block}
table{border-collapse:collapse}td{border:1px solid #ccc;padding:.2em .4em}</style>
      </head>
      <body>
        <nav><a href="{$index-href}">All files</a></nav>
        <header><h1><xsl:value-of select="$title"/></h1></header>
        <main>
          <xsl:apply-templates select="//tei:text[not(ancestor::tei:text)]"/>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>

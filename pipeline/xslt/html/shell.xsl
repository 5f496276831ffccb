<?xml version="1.0" encoding="UTF-8"?>
<!--
  The page shell of the HTML edition: <head>, the site header with its navigation and
  search box, the footer. Every entry stylesheet calls h:shell with the page's content.
  Site-wide facts (title, licence, which optional pages exist) come as parameters from
  pipeline/html.py, which reads them from edition.yaml: one source of truth.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:h="https://edition-pipeline.example/ns/html"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    exclude-result-prefixes="#all">

  <xsl:param name="edition-title" as="xs:string" select="'TEI edition'"/>
  <xsl:param name="edition-subtitle" as="xs:string" select="''"/>
  <xsl:param name="licence-name" as="xs:string" select="''"/>
  <xsl:param name="licence-url" as="xs:string" select="''"/>
  <xsl:param name="publisher" as="xs:string" select="''"/>
  <xsl:param name="year" as="xs:string" select="''"/>
  <!-- 'yes' when tei/registers.xml (or tei/registers/) exists: only then the nav links it -->
  <xsl:param name="has-registers" as="xs:string" select="''"/>
  <!-- 'yes' in a draft build (edition build -\-draft): a banner on every page -->
  <xsl:param name="draft" as="xs:string" select="''"/>
  <xsl:param name="generator" as="xs:string" select="'edition-pipeline'"/>
  <!-- the release (edition.yaml version, date or SOURCE_DATE_EPOCH): on every page -->
  <xsl:param name="version" as="xs:string" select="''"/>
  <xsl:param name="build-date" as="xs:string" select="''"/>
  <!-- the edition's published address (edition.yaml url) or '': canonical links -->
  <xsl:param name="site-url" as="xs:string" select="''"/>
  <!-- the edition's citation (JSON from pipeline/html/cite.py): text, meta, coins, files -->
  <xsl:param name="edition-cite" as="xs:string" select="'{}'"/>

  <xsl:variable name="h:nav" as="map(xs:string, xs:string)*" select="(
      map{'key': 'home', 'href': 'index.html', 'label': 'Introduction'},
      map{'key': 'calendar', 'href': 'calendar.html', 'label': 'Documents'},
      map{'key': 'collections', 'href': 'collections.html', 'label': 'Collections'},
      map{'key': 'correspondents', 'href': 'correspondents.html', 'label': 'Correspondents'},
      map{'key': 'places', 'href': 'places.html', 'label': 'Places'},
      if ($has-registers = 'yes') then map{'key': 'registers', 'href': 'registers/index.html', 'label': 'Registers'} else (),
      map{'key': 'archives', 'href': 'archives.html', 'label': 'Archives'},
      map{'key': 'search', 'href': 'search.html', 'label': 'Search'})"/>

  <!-- A whole page as a document node.
       $base: the way back to the site root from this page ('' or '../');
       $section: the nav key of the page (marks the current nav item). -->
  <xsl:template name="h:shell" as="document-node()">
    <xsl:param name="title" as="xs:string"/>
    <xsl:param name="base" as="xs:string" select="''"/>
    <xsl:param name="section" as="xs:string" select="''"/>
    <xsl:param name="kind" as="xs:string" select="''"/>
    <xsl:param name="description" as="xs:string" select="''"/>
    <xsl:param name="head-extra" as="node()*" select="()"/>
    <!-- the page's path from the site root: its canonical URL when the edition has one -->
    <xsl:param name="href" as="xs:string" select="''"/>
    <xsl:param name="content" as="node()*"/>
    <xsl:document>
      <html lang="en">
        <head>
          <meta charset="utf-8"/>
          <meta name="viewport" content="width=device-width, initial-scale=1"/>
          <meta name="generator" content="{$generator}"/>
          <xsl:if test="$description">
            <meta name="description" content="{$description}"/>
          </xsl:if>
          <title>
            <xsl:value-of select="if ($title = $edition-title) then $title else $title || ' — ' || $edition-title"/>
          </title>
          <xsl:if test="$site-url and $href">
            <link rel="canonical" href="{replace($site-url, '/+$', '')}/{$href}"/>
          </xsl:if>
          <link rel="icon" href="{$base}assets/favicon.svg" type="image/svg+xml"/>
          <link rel="stylesheet" href="{$base}assets/edition.css"/>
          <link rel="stylesheet" href="{$base}assets/print.css" media="print"/>
          <script src="{$base}assets/edition.js" defer="defer"></script>
          <xsl:sequence select="$head-extra"/>
        </head>
        <body class="{normalize-space('page-' || $kind || (if ($draft = 'yes') then ' draft' else ''))}">
          <a class="skip" href="#main">Skip to the content</a>
          <header class="site">
            <div class="site-inner">
              <p class="site-title"><a href="{$base}index.html"><xsl:value-of select="$edition-title"/></a></p>
              <xsl:if test="$edition-subtitle">
                <p class="site-subtitle"><xsl:value-of select="$edition-subtitle"/></p>
              </xsl:if>
              <nav class="site-nav" aria-label="Edition">
                <ul>
                  <xsl:for-each select="$h:nav">
                    <li>
                      <a href="{$base}{?href}">
                        <xsl:if test="?key = $section">
                          <xsl:attribute name="aria-current" select="'page'"/>
                        </xsl:if>
                        <xsl:value-of select="?label"/>
                      </a>
                    </li>
                  </xsl:for-each>
                </ul>
              </nav>
              <form class="site-search" role="search" action="{$base}search.html" method="get">
                <label for="site-q" class="visually-hidden">Search the edition</label>
                <input id="site-q" name="q" type="search" placeholder="Search the documents"/>
                <button type="submit">Search</button>
              </form>
            </div>
          </header>
          <xsl:if test="$draft = 'yes'">
            <p class="draft-banner" role="note">Draft build: the converter’s review flags are shown. Not for publication.</p>
          </xsl:if>
          <main id="main" tabindex="-1">
            <xsl:sequence select="$content"/>
          </main>
          <footer class="site">
            <div class="site-inner">
              <p>
                <xsl:value-of select="$edition-title"/>
                <xsl:if test="$publisher">. <xsl:value-of select="$publisher"/></xsl:if>
                <xsl:if test="$year">, <xsl:value-of select="$year"/></xsl:if>
                <xsl:text>.</xsl:text>
                <xsl:if test="$licence-name">
                  <xsl:text> Licence: </xsl:text>
                  <xsl:choose>
                    <xsl:when test="$licence-url"><a href="{$licence-url}" rel="license"><xsl:value-of select="$licence-name"/></a></xsl:when>
                    <xsl:otherwise><xsl:value-of select="$licence-name"/></xsl:otherwise>
                  </xsl:choose>
                  <xsl:text>.</xsl:text>
                </xsl:if>
              </p>
              <p class="colophon">The TEI files of every document are part of this site: <a href="{$base}tei/edition.xml">tei/edition.xml</a> and one file per document.</p>
              <p class="release">
                <xsl:value-of select="string-join((if ($version) then 'Version ' || $version else (),
                    if ($build-date) then 'built ' || $build-date else ()), ', ')"/>
                <xsl:if test="$version or $build-date">. </xsl:if>
                <a href="{$base}index.html#cite-title">How to cite this edition</a>.
              </p>
            </div>
          </footer>
        </body>
      </html>
    </xsl:document>
  </xsl:template>

  <!-- The "How to cite" block of a page from its citation (pipeline/html/cite.py): the
       text with the reader's access date (filled in by edition.js; a placeholder without
       JavaScript), the downloads, and a COinS span for reference managers. -->
  <xsl:template name="h:cite">
    <xsl:param name="cite" as="map(*)"/>
    <xsl:param name="base" as="xs:string" select="''"/>
    <xsl:param name="title" as="xs:string" select="'How to cite'"/>
    <section class="doc-cite" aria-labelledby="cite-title">
      <h2 id="cite-title"><xsl:value-of select="$title"/></h2>
      <p class="citation">
        <xsl:for-each select="tokenize($cite?text, '&lt;accessed&gt;')">
          <xsl:if test="position() gt 1">
            <span class="access-date" data-today="">[the date you consulted it]</span>
          </xsl:if>
          <xsl:value-of select="."/>
        </xsl:for-each>
      </p>
      <p class="cite-files">Download this citation:
        <xsl:for-each select="map:keys($cite?files)">
          <xsl:sort select="."/>
          <xsl:if test="position() gt 1"><xsl:text> · </xsl:text></xsl:if>
          <a href="{$base}{$cite?files(.)}" download=""
             type="{map{'CSL-JSON': 'application/vnd.citationstyles.csl+json', 'BibTeX': 'application/x-bibtex',
                       'RIS': 'application/x-research-info-systems'}(.)}"><xsl:value-of select="."/></a>
        </xsl:for-each>
      </p>
      <span class="Z3988" title="{$cite?coins}"></span>
    </section>
  </xsl:template>

  <!-- The citation's meta tags (Highwire Press citation_*, Dublin Core) for <head>. -->
  <xsl:function name="h:cite-meta" as="element()*">
    <xsl:param name="cite" as="map(*)"/>
    <xsl:for-each select="$cite?meta?*">
      <meta name="{?1}" content="{?2}"/>
    </xsl:for-each>
  </xsl:function>

  <!-- A page as a map entry {href: serialised HTML}: the listing stylesheets write many
       pages in one transformation and return them as one JSON map to Python. -->
  <xsl:function name="h:page" as="map(xs:string, xs:string)">
    <xsl:param name="href" as="xs:string"/>
    <xsl:param name="page" as="document-node()"/>
    <xsl:sequence select="map{$href: serialize($page, $h:html-output)}"/>
  </xsl:function>

  <!-- The fragment of one delo (file) in the archival concordance, archives.html:
       written by archives.xsl, linked from every document page. -->
  <xsl:function name="h:archive-anchor" as="xs:string">
    <xsl:param name="repository" as="xs:string?"/>
    <xsl:param name="fond" as="xs:string?"/>
    <xsl:param name="opis" as="xs:string?"/>
    <xsl:param name="papka" as="xs:string?"/>
    <xsl:param name="delo" as="xs:string?"/>
    <xsl:sequence select="string-join(('ar', h:token($repository), 'f' || h:token($fond), 'op' || h:token($opis),
        if ($papka) then 'p' || h:token($papka) else (), 'd' || h:token($delo)), '-')"/>
  </xsl:function>

  <xsl:function name="h:token" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <xsl:sequence select="replace(replace(lower-case(normalize-space($s)), '[^\p{L}\p{N}]+', '_'), '^_+|_+$', '')"/>
  </xsl:function>

  <xsl:variable name="h:html-output" as="map(*)"
      select="map{'method': 'html', 'html-version': 5.0, 'indent': false(), 'include-content-type': false(),
                  'encoding': 'UTF-8'}"/>

</xsl:stylesheet>

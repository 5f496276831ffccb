<?xml version="1.0" encoding="UTF-8"?>
<!--
  Entry stylesheet: one page per document (out/html/documents/<id>.html).
  Source: a TEI file of tei/<source>/<id>.xml (or any TEI file).
  Parameters: the site parameters of shell.xsl, $context (JSON from pipeline/html.py:
  prev/next, collection, witnesses, links, register names, review flags), $how-to-cite
  (edition.yaml), $tei-href (the copied TEI file, relative to the site root).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition-pipeline.example/ns/edition"
    xmlns:h="https://edition-pipeline.example/ns/html"
    exclude-result-prefixes="#all">

  <xsl:import href="text.xsl"/>
  <xsl:import href="shell.xsl"/>
  <xsl:import href="apparatus.xsl"/>

  <xsl:output method="html" html-version="5.0" encoding="UTF-8" indent="no" include-content-type="no"/>

  <xsl:param name="tei-href" as="xs:string" select="''"/>

  <xsl:template match="/">
    <xsl:variable name="div" select="(ed:document(.), //tei:text)[1]"/>
    <xsl:variable name="id" select="(ed:doc-id(.)[.], 'document')[1]"/>
    <xsl:variable name="title" select="ed:display-title(.)"/>
    <xsl:variable name="label" select="ed:doc-short-label(.)"/>
    <xsl:call-template name="h:shell">
      <xsl:with-param name="title" select="$label || ': ' || h:truncate($title, 90)"/>
      <xsl:with-param name="base" select="$base"/>
      <xsl:with-param name="section" select="'calendar'"/>
      <xsl:with-param name="kind" select="'document'"/>
      <xsl:with-param name="description" select="$title"/>
      <xsl:with-param name="href" select="'documents/' || $id || '.html'"/>
      <xsl:with-param name="head-extra" as="node()*">
        <xsl:if test="exists($ctx?cite)">
          <xsl:sequence select="h:cite-meta($ctx?cite)"/>
        </xsl:if>
        <xsl:if test="$tei-href">
          <link rel="alternate" type="application/tei+xml" href="{$base}{$tei-href}"/>
        </xsl:if>
      </xsl:with-param>
      <xsl:with-param name="content" as="node()*">
        <xsl:call-template name="breadcrumbs">
          <xsl:with-param name="label" select="$label"/>
        </xsl:call-template>
        <article class="document" aria-labelledby="doc-title">
          <xsl:call-template name="doc-header">
            <xsl:with-param name="div" select="$div"/>
            <xsl:with-param name="title" select="$title"/>
          </xsl:call-template>
          <xsl:call-template name="h:witness-switch"/>
          <div class="doc-text">
            <xsl:apply-templates select="$div/node() except $div/tei:head[1]"/>
          </div>
          <xsl:call-template name="h:side-by-side">
            <xsl:with-param name="div" select="$div"/>
          </xsl:call-template>
          <xsl:call-template name="footnotes"/>
          <xsl:call-template name="source"/>
          <xsl:call-template name="h:list-wit"/>
          <xsl:call-template name="witnesses"/>
          <xsl:call-template name="cite">
            <xsl:with-param name="id" select="$id"/>
            <xsl:with-param name="title" select="$title"/>
          </xsl:call-template>
          <xsl:call-template name="review"/>
        </article>
        <xsl:call-template name="prev-next"/>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:function name="h:ms-anchor" as="xs:string">
    <xsl:param name="ms" as="element(tei:msDesc)"/>
    <xsl:sequence select="h:archive-anchor(normalize-space($ms/tei:msIdentifier/tei:repository), ed:idno($ms, 'fond'),
        ed:idno($ms, 'opis'), ed:idno($ms, 'papka'), ed:idno($ms, 'delo'))"/>
  </xsl:function>

  <xsl:function name="h:truncate" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:param name="max" as="xs:integer"/>
    <xsl:sequence select="if (string-length($s) le $max) then $s
        else replace(substring($s, 1, $max), '\s+\S*$', '') || '…'"/>
  </xsl:function>

  <xsl:template name="breadcrumbs">
    <xsl:param name="label" as="xs:string"/>
    <xsl:variable name="coll" select="$ctx?collection"/>
    <nav class="breadcrumbs" aria-label="Breadcrumb">
      <ol>
        <li><a href="{$base}calendar.html">Documents</a></li>
        <xsl:if test="exists($coll)">
          <li><a href="{$base}collections/{$coll?id}.html"><xsl:value-of select="$coll?short"/></a></li>
        </xsl:if>
        <li><span aria-current="page"><xsl:value-of select="$label"/></span></li>
      </ol>
      <xsl:call-template name="prev-next-compact"/>
    </nav>
  </xsl:template>

  <xsl:template name="doc-header">
    <xsl:param name="div" as="element()?"/>
    <xsl:param name="title" as="xs:string"/>
    <xsl:variable name="doc" select="/"/>
    <xsl:variable name="date" select="ed:doc-date(.)"/>
    <xsl:variable name="type" select="ed:doc-type(.)"/>
    <header class="doc-header">
      <p class="doc-kicker">
        <xsl:value-of select="string-join((
            if (string($ctx?number)) then 'Document ' || $ctx?number || ' of the edition' else (),
            if (ed:doc-number(.)) then 'printed as ' || ed:doc-label(.) else (),
            if ($type) then ed:capitalise($type) else ()), ' · ')"/>
      </p>
      <h1 id="doc-title">
        <xsl:choose>
          <xsl:when test="$div/tei:head">
            <xsl:apply-templates select="$div/tei:head[1]/node()">
              <xsl:with-param name="inline" select="true()" tunnel="yes"/>
            </xsl:apply-templates>
          </xsl:when>
          <xsl:otherwise><xsl:value-of select="$title"/></xsl:otherwise>
        </xsl:choose>
      </h1>
      <p class="doc-date">
        <xsl:variable name="iso" select="ed:date-iso($date)"/>
        <xsl:choose>
          <xsl:when test="matches($iso, '^\d{4}(-\d{2}(-\d{2})?)?$')">
            <time datetime="{$iso}"><xsl:value-of select="ed:date-label($date)"/></time>
          </xsl:when>
          <xsl:otherwise><xsl:value-of select="ed:date-label($date)"/></xsl:otherwise>
        </xsl:choose>
        <xsl:if test="$date/@cert">
          <span class="cert"> (date <xsl:value-of select="$date/@cert"/> certainty)</span>
        </xsl:if>
        <xsl:if test="ed:place-of-writing(.)">, <xsl:value-of select="ed:place-of-writing(.)"/></xsl:if>
      </p>
      <dl class="doc-meta">
        <xsl:if test="ed:sender(.)">
          <dt>From</dt><dd><xsl:apply-templates select="h:correspondents(., 'sent')"/></dd>
        </xsl:if>
        <xsl:if test="ed:addressee(.)">
          <dt>To</dt><dd><xsl:apply-templates select="h:correspondents(., 'received')"/></dd>
        </xsl:if>
        <xsl:if test="exists(ed:classifications(.))">
          <dt>Classification</dt><dd><xsl:value-of select="distinct-values(ed:classifications(.))" separator="; "/></dd>
        </xsl:if>
        <xsl:for-each select="//tei:sourceDesc/tei:msDesc">
          <dt>Archive</dt>
          <dd><a href="{$base}{h:concordance-page(h:ms-anchor(.))}#{h:ms-anchor(.)}"><xsl:value-of select="ed:archival-citation(.)"/></a></dd>
        </xsl:for-each>
        <xsl:if test="exists($ctx?collection)">
          <dt>Collection</dt>
          <dd><a href="{$base}collections/{$ctx?collection?id}.html"><xsl:value-of select="$ctx?collection?title"/></a></dd>
        </xsl:if>
      </dl>
    </header>
  </xsl:template>

  <xsl:function name="h:correspondents" as="node()*">
    <xsl:param name="doc" as="node()"/>
    <xsl:param name="type" as="xs:string"/>
    <xsl:variable name="names" select="root($doc)//tei:correspDesc/tei:correspAction[@type = $type]
        /(tei:name | tei:persName | tei:orgName)"/>
    <xsl:for-each select="$names">
      <xsl:if test="position() gt 1"><xsl:text>; </xsl:text></xsl:if>
      <xsl:sequence select="."/>
    </xsl:for-each>
  </xsl:function>

  <xsl:template name="footnotes">
    <xsl:variable name="notes" select="ed:footnote-order(.)"/>
    <xsl:variable name="shared" select="//tei:text//tei:note[@subtype = 'shared']"/>
    <xsl:if test="exists($notes)">
      <section class="footnotes" aria-labelledby="notes-title" role="doc-endnotes">
        <h2 id="notes-title">Notes</h2>
        <ol>
          <xsl:for-each select="$notes">
            <xsl:variable name="note" select="."/>
            <xsl:variable name="n" select="position()"/>
            <xsl:variable name="markers" select=".[not(@subtype = 'unanchored')] | $shared[ed:served-note(.) is $note]"/>
            <li id="{h:note-anchor($n)}" class="{normalize-space('footnote ' || @type)}">
              <!-- the note's id in the TEI (and the print edition's label) -->
              <xsl:if test="@xml:id"><xsl:attribute name="data-tei" select="@xml:id"/></xsl:if>
              <span class="fn-back">
                <xsl:choose>
                  <xsl:when test="empty($markers)"><span class="fn-num"><xsl:value-of select="$n"/></span></xsl:when>
                  <xsl:when test="count($markers) = 1">
                    <a class="fn-num" href="#{h:marker-anchor($n, 1)}" role="doc-backlink"
                       aria-label="Back to the text of note {$n}"><xsl:value-of select="$n"/></a>
                  </xsl:when>
                  <xsl:otherwise>
                    <!-- one note, several markers: a back-link for each, a b c … -->
                    <span class="fn-num"><xsl:value-of select="$n"/></span>
                    <xsl:for-each select="$markers">
                      <xsl:text> </xsl:text>
                      <a class="fn-more" href="#{h:marker-anchor($n, position())}" role="doc-backlink"
                         aria-label="Back to the text of note {$n}, marker {position()}"><xsl:value-of select="codepoints-to-string(96 + position())"/></a>
                    </xsl:for-each>
                  </xsl:otherwise>
                </xsl:choose>
              </span>
              <div class="fn-body">
                <xsl:choose>
                  <xsl:when test="normalize-space(string-join(node() except tei:label, '')) or (* except tei:label)">
                    <xsl:apply-templates select="." mode="footnote-body"/>
                  </xsl:when>
                  <xsl:when test="@type = 'unresolved'">
                    <p class="fn-missing">The source prints the note marker “<xsl:value-of select="@n"/>” here; the note itself is not in the source (an endnote of the printed volume).</p>
                  </xsl:when>
                  <xsl:otherwise><p class="fn-missing">(The note is empty in the source.)</p></xsl:otherwise>
                </xsl:choose>
                <xsl:if test="not(@type = 'unresolved')">
                <p class="fn-about">
                  <xsl:value-of select="string-join((
                      h:note-hand(.),
                      if (@subtype = 'unanchored') then 'no marker in the text' else (),
                      if (ed:note-marker(.)) then 'marker printed “' || ed:note-marker(.) || '”' else ()), '; ')"/>
                </p>
                </xsl:if>
              </div>
            </li>
          </xsl:for-each>
        </ol>
      </section>
    </xsl:if>
  </xsl:template>

  <xsl:function name="h:note-hand" as="xs:string?">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:variable name="key" select="ed:hand-key($note/@resp)"/>
    <xsl:sequence select="
        if ($key = 'compilers') then (if ($note/@type = 'editorial') then 'Compilers’ remark' else 'Compilers’ note')
        else if ($key = 'editors') then 'Editors’ note'
        else if ($key = 'pipeline') then 'Note of the conversion (to be checked)'
        else if ($note/@resp) then 'Note by ' || h:hand($note/@resp)
        else ()"/>
  </xsl:function>

  <xsl:template name="source">
    <xsl:variable name="printed" select="//tei:text//tei:note[@type = 'source']
        [not(ancestor::tei:div[@type = ('reply', 'related')])]"/>
    <xsl:variable name="origin" select="//tei:sourceDesc/tei:bibl/tei:ref[@type = 'origin']"/>
    <section class="doc-source" aria-labelledby="source-title">
      <h2 id="source-title">Source</h2>
      <xsl:for-each select="//tei:sourceDesc/tei:msDesc">
        <p class="archival">
          <span class="label">Archival citation: </span>
          <a href="{$base}{h:concordance-page(h:ms-anchor(.))}#{h:ms-anchor(.)}"><xsl:value-of select="ed:archival-citation(.)"/></a>
          <xsl:for-each select="(tei:msIdentifier/tei:idno[@cert], tei:msIdentifier/tei:repository[@cert])">
            <span class="cert"> (<xsl:value-of select="@type"/> read by the converter, <xsl:value-of select="@cert"/> certainty)</span>
          </xsl:for-each>
          <xsl:text>.</xsl:text>
        </p>
      </xsl:for-each>
      <xsl:if test="exists($printed)">
        <p class="printed-source">
          <span class="label">As printed: </span>
          <xsl:for-each select="$printed">
            <xsl:if test="position() gt 1"><xsl:text> </xsl:text></xsl:if>
            <xsl:apply-templates><xsl:with-param name="inline" select="true()" tunnel="yes"/></xsl:apply-templates>
          </xsl:for-each>
        </p>
      </xsl:if>
      <xsl:for-each select="//tei:sourceDesc/tei:bibl[@type = 'collection'][1]">
        <p class="edited-from">
          <span class="label">Edited from: </span>
          <cite><xsl:value-of select="normalize-space(tei:title[1])"/></cite>
          <xsl:if test="tei:editor">
            <xsl:text>, </xsl:text>
            <xsl:value-of select="if (tei:editor/@role = 'compiler') then 'compiled by ' else 'edited by '"/>
            <xsl:value-of select="tei:editor/normalize-space()" separator=", "/>
          </xsl:if>
          <xsl:if test="tei:date">, <xsl:value-of select="tei:date"/></xsl:if>
          <xsl:if test="$origin">
            <xsl:text>; </xsl:text>
            <a href="{$base}{h:source-href($origin/@target)}"><xsl:value-of select="normalize-space($origin)"/></a>
          </xsl:if>
          <xsl:text>.</xsl:text>
        </p>
      </xsl:for-each>
    </section>
  </xsl:template>

  <!-- "../../sources/003.txt#line=1,2" (relative to tei/<source>/) → "sources/003.txt#line=1,2" -->
  <xsl:function name="h:source-href" as="xs:string">
    <xsl:param name="target" as="xs:string"/>
    <xsl:sequence select="replace($target, '^(\.\./)+', '')"/>
  </xsl:function>

  <xsl:template name="witnesses">
    <xsl:variable name="wit" select="array:flatten(($ctx?witnesses, [])[1])" xmlns:array="http://www.w3.org/2005/xpath-functions/array"/>
    <xsl:variable name="notes" select="//tei:notesStmt/tei:note[@type = 'witness']"/>
    <xsl:if test="exists($wit) or exists($notes)">
      <section class="doc-witnesses" aria-labelledby="witness-title">
        <h2 id="witness-title">Other witnesses in this edition</h2>
        <xsl:if test="exists($wit)">
          <ul>
            <xsl:for-each select="$wit">
              <li>
                <a href="{$base}documents/{?id}.html"><xsl:value-of select="?label"/></a>
                <xsl:text>: </xsl:text><xsl:value-of select="?title"/>
                <xsl:text>; in </xsl:text><cite><xsl:value-of select="?collection"/></cite>
              </li>
            </xsl:for-each>
          </ul>
        </xsl:if>
        <xsl:for-each select="$notes">
          <p class="witness-note"><xsl:apply-templates><xsl:with-param name="inline" select="true()" tunnel="yes"/></xsl:apply-templates></p>
        </xsl:for-each>
      </section>
    </xsl:if>
  </xsl:template>

  <xsl:template name="cite">
    <xsl:param name="id" as="xs:string"/>
    <xsl:param name="title" as="xs:string"/>
    <xsl:choose>
      <xsl:when test="exists($ctx?cite)">
        <xsl:call-template name="h:cite">
          <xsl:with-param name="cite" select="$ctx?cite"/>
          <xsl:with-param name="base" select="$base"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <section class="doc-cite" aria-labelledby="cite-title">
          <h2 id="cite-title">How to cite</h2>
          <p class="citation"><xsl:value-of select="'“' || $title || '”, in: ' || $edition-title || ', document ' || $id || '.'"/></p>
        </section>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:if test="$tei-href">
      <p class="tei-link"><a href="{$base}{$tei-href}" type="application/tei+xml">TEI XML of this document</a>
        <xsl:text> (</xsl:text><code><xsl:value-of select="$tei-href"/></code><xsl:text>)</xsl:text></p>
    </xsl:if>
    <xsl:if test="exists($ctx?pdf)">
      <p class="pdf-link"><a href="{$base}{$ctx?pdf?href}" type="application/pdf">This document in the print edition (PDF)</a>
        <xsl:value-of select="': ' || string-join(($ctx?pdf?title[.], if (string($ctx?number)) then 'No. ' || $ctx?number else ()), ', ')"/>
      </p>
    </xsl:if>
  </xsl:template>

  <!-- Only in a draft build: the converter's review flags for this document. -->
  <xsl:template name="review">
    <xsl:variable name="flags" select="array:flatten(($ctx?flags, [])[1])" xmlns:array="http://www.w3.org/2005/xpath-functions/array"/>
    <xsl:if test="$draft = 'yes' and exists($flags)">
      <section class="review" aria-labelledby="review-title">
        <h2 id="review-title">Review flags (draft only)</h2>
        <ul>
          <xsl:for-each select="$flags">
            <li><span class="flag-kind"><xsl:value-of select="?kind"/></span>: <xsl:value-of select="?message"/>
              <span class="flag-where"> (<xsl:value-of select="?source"/>, line <xsl:value-of select="?line"/>)</span></li>
          </xsl:for-each>
        </ul>
      </section>
    </xsl:if>
  </xsl:template>

  <xsl:template name="prev-next">
    <xsl:if test="exists($ctx?prev) or exists($ctx?next)">
      <nav class="prev-next" aria-label="Previous and next document">
        <xsl:for-each select="$ctx?prev">
          <a class="prev" rel="prev" href="{$base}documents/{?id}.html">
            <span class="dir">Previous document</span>
            <span class="what"><xsl:value-of select="?label"/></span>
            <span class="title"><xsl:value-of select="?title"/></span>
          </a>
        </xsl:for-each>
        <xsl:for-each select="$ctx?next">
          <a class="next" rel="next" href="{$base}documents/{?id}.html">
            <span class="dir">Next document</span>
            <span class="what"><xsl:value-of select="?label"/></span>
            <span class="title"><xsl:value-of select="?title"/></span>
          </a>
        </xsl:for-each>
      </nav>
    </xsl:if>
  </xsl:template>

  <xsl:template name="prev-next-compact">
    <p class="prev-next-compact">
      <xsl:for-each select="$ctx?prev">
        <a href="{$base}documents/{?id}.html" title="{?label}">← Previous</a>
      </xsl:for-each>
      <xsl:if test="exists($ctx?prev) and exists($ctx?next)"><xsl:text> · </xsl:text></xsl:if>
      <xsl:for-each select="$ctx?next">
        <a href="{$base}documents/{?id}.html" title="{?label}">Next →</a>
      </xsl:for-each>
    </p>
  </xsl:template>

  <!-- the page of the archival concordance that lists a delo: archives.html, or the later
       page the context names when the concordance fills several -->
  <xsl:function name="h:concordance-page" as="xs:string">
    <xsl:param name="anchor" as="xs:string"/>
    <xsl:variable name="pages" select="($ctx?archive-pages, map{})[1]" as="map(*)"/>
    <xsl:sequence select="(string($pages($anchor))[.], 'archives.html')[1]"/>
  </xsl:function>

</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  Entry stylesheet: the archival concordance (archives.html): archive → fond → opis →
  delo (with papka) → the documents kept there, with folios and the state of the copy.
  From the msDesc of every document's header, via the catalogue. Each delo has an
  anchor (h:archive-anchor) that the document pages link to.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:h="https://edition-pipeline.example/ns/html"
    exclude-result-prefixes="#all">

  <xsl:import href="lists.xsl"/>

  <xsl:template match="/site">
    <xsl:variable name="site" select="."/>
    <xsl:variable name="ms" select="entry/ms"/>
    <xsl:variable name="page">
      <xsl:call-template name="h:shell">
        <xsl:with-param name="title" select="'Archival concordance'"/>
        <xsl:with-param name="section" select="'archives'"/>
        <xsl:with-param name="kind" select="'archives'"/>
        <xsl:with-param name="content" as="node()*">
          <h1>Archival concordance</h1>
          <p class="lead">Where the originals are kept: the archival citations of
            <xsl:value-of select="count(distinct-values($ms/../@id))"/> documents, as the sources give them, ordered by
            archive, fond (f.), opis (op.) and delo (d.; with the papka, p., where cited). The folios (l.) and the state of the
            copy follow each document.</p>
          <nav class="letters" aria-label="Archives">
            <ul>
              <xsl:for-each-group select="$ms" group-by="@repository">
                <xsl:sort select="current-grouping-key()"/>
                <li><a href="#{h:archive-id(current-grouping-key())}"><xsl:value-of select="current-grouping-key()[.]"/></a></li>
              </xsl:for-each-group>
            </ul>
          </nav>
          <xsl:for-each-group select="$ms" group-by="@repository">
            <xsl:sort select="current-grouping-key()"/>
            <section class="archive" aria-labelledby="{h:archive-id(current-grouping-key())}">
              <h2 id="{h:archive-id(current-grouping-key())}"><xsl:value-of select="h:archive-name(current-group()[1])"/></h2>
              <xsl:for-each-group select="current-group()" group-by="@fond">
                <xsl:sort select="h:num-key(current-grouping-key())"/>
                <section class="fond" aria-labelledby="{h:archive-id(@repository)}-f{h:token(current-grouping-key())}">
                  <h3 id="{h:archive-id(@repository)}-f{h:token(current-grouping-key())}">Fond <xsl:value-of select="(current-grouping-key()[.], '(not cited)')[1]"/></h3>
                  <ul class="opis-list">
                    <xsl:for-each-group select="current-group()" group-by="@opis">
                      <xsl:sort select="h:num-key(current-grouping-key())"/>
                      <li>
                        <span class="opis">Opis <xsl:value-of select="(current-grouping-key()[.], '(not cited)')[1]"/></span>
                        <ul class="delo-list">
                          <xsl:for-each-group select="current-group()" group-by="@anchor">
                            <xsl:sort select="h:num-key(@papka)"/>
                            <xsl:sort select="h:num-key(@delo)"/>
                            <li id="{current-grouping-key()}">
                              <span class="delo">
                                <xsl:value-of select="string-join((if (@papka != '') then 'papka ' || @papka else (),
                                    'delo ' || (@delo[. != ''], '(not cited)')[1]), ', ')"/>
                              </span>
                              <ul class="doc-list">
                                <xsl:for-each select="current-group()">
                                  <xsl:sort select="h:num-key(tokenize(@folios, '[–, ]')[1])"/>
                                  <xsl:call-template name="h:document-item">
                                    <xsl:with-param name="entry" select=".."/>
                                    <xsl:with-param name="extra" select="string-join((if (@folios != '') then 'l. ' || @folios else (),
                                        @form[. != ''], if (@cert) then 'reading of ' || @cert || ' certainty' else ()), '; ')"/>
                                  </xsl:call-template>
                                </xsl:for-each>
                              </ul>
                            </li>
                          </xsl:for-each-group>
                        </ul>
                      </li>
                    </xsl:for-each-group>
                  </ul>
                </section>
              </xsl:for-each-group>
            </section>
          </xsl:for-each-group>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:variable>
    <xsl:sequence select="h:page('archives.html', $page)"/>
  </xsl:template>

  <xsl:function name="h:archive-id" as="xs:string">
    <xsl:param name="repository" as="xs:string?"/>
    <xsl:sequence select="'archive-' || (h:token($repository)[.], 'unnamed')[1]"/>
  </xsl:function>

  <!-- "AVP RF", with the full name when a register (or the edition file) names the archive -->
  <xsl:function name="h:archive-name" as="xs:string">
    <xsl:param name="ms" as="element(ms)"/>
    <xsl:variable name="abbr" select="(normalize-space($ms/@repository)[.], 'Archive not named')[1]"/>
    <xsl:variable name="full" select="if ($ms/@repository-ref != '' and map:contains($names, string($ms/@repository-ref)))
        then string($names(string($ms/@repository-ref))) else ''" xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>
    <xsl:sequence select="if (not($full) or $full = $abbr) then $abbr
        else if (contains($full, $abbr)) then $full else $full || ' (' || $abbr || ')'"/>
  </xsl:function>

</xsl:stylesheet>

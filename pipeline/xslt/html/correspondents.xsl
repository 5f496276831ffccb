<?xml version="1.0" encoding="UTF-8"?>
<!--
  Entry stylesheet: documents by correspondent (correspondents.html). Correspondents
  are the senders and addressees of the header's correspDesc: grouped by their register
  entry when they point to one (@ref), otherwise by the name as printed.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:h="https://edition-pipeline.example/ns/html"
    exclude-result-prefixes="#all">

  <xsl:import href="lists.xsl"/>

  <!-- {register id: sort key} (persons by surname), from registers.xsl via Python -->
  <xsl:param name="register-sort" as="xs:string" select="'{}'"/>
  <xsl:variable name="sort" as="map(*)" select="parse-json($register-sort)"/>

  <xsl:function name="h:corr-key" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="if ($e/@ref and map:contains($names, string($e/@ref))) then 'r ' || $e/@ref else 'n ' || h:sort-key($e)"
        xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>
  </xsl:function>

  <xsl:template match="/site">
    <xsl:variable name="groups" as="element(group)*">
      <xsl:for-each-group select="entry/(sender | addressee)" group-by="h:corr-key(.)">
        <xsl:variable name="ref" select="if (starts-with(current-grouping-key(), 'r ')) then substring(current-grouping-key(), 3) else ''"/>
        <xsl:variable name="name" select="if ($ref) then string($names($ref)) else string(current-group()[1])"/>
        <group key="{if ($ref and map:contains($sort, $ref)) then $sort($ref) else h:sort-key($name)}"
            id="c-{h:token(current-grouping-key())}" ref="{$ref}" name="{$name}" xmlns:map="http://www.w3.org/2005/xpath-functions/map">
          <xsl:for-each select="distinct-values(current-group()/normalize-space())[. != $name]">
            <form><xsl:value-of select="."/></form>
          </xsl:for-each>
          <xsl:for-each select="current-group()">
            <xsl:sort select="../@order" data-type="number"/>
            <doc id="{../@id}" role="{local-name()}"/>
          </xsl:for-each>
        </group>
      </xsl:for-each-group>
    </xsl:variable>
    <xsl:variable name="site" select="."/>
    <xsl:variable name="sorted" as="element(group)*">
      <xsl:perform-sort select="$groups"><xsl:sort select="@key"/></xsl:perform-sort>
    </xsl:variable>
    <xsl:variable name="page">
      <xsl:call-template name="h:shell">
        <xsl:with-param name="title" select="'Correspondents'"/>
        <xsl:with-param name="section" select="'correspondents'"/>
        <xsl:with-param name="kind" select="'correspondents'"/>
        <xsl:with-param name="content" as="node()*">
          <h1>Correspondents</h1>
          <p class="lead">The senders and addressees of the <xsl:value-of select="count(entry[sender or addressee])"/> letters,
            telegrams, notes and messages of the edition, with the documents each sent and received. Names are given as the
            headings print them<xsl:if test="map:size($names) gt 0" xmlns:map="http://www.w3.org/2005/xpath-functions/map">, grouped by the register where it identifies them</xsl:if>.</p>
          <nav class="letters" aria-label="Initial letters">
            <ul>
              <xsl:for-each-group select="$sorted" group-by="upper-case(substring(@key, 1, 1))">
                <li><a href="#letter-{h:token(current-grouping-key())}"><xsl:value-of select="current-grouping-key()"/></a></li>
              </xsl:for-each-group>
            </ul>
          </nav>
          <xsl:for-each-group select="$sorted" group-by="upper-case(substring(@key, 1, 1))">
            <section class="letter" aria-labelledby="letter-{h:token(current-grouping-key())}">
              <h2 id="letter-{h:token(current-grouping-key())}"><xsl:value-of select="current-grouping-key()"/></h2>
              <xsl:for-each select="current-group()">
                <section class="correspondent" aria-labelledby="{@id}">
                  <h3 id="{@id}">
                    <xsl:choose>
                      <xsl:when test="@ref != ''"><a href="registers/{@ref}.html"><xsl:value-of select="@name"/></a></xsl:when>
                      <xsl:otherwise><xsl:value-of select="@name"/></xsl:otherwise>
                    </xsl:choose>
                  </h3>
                  <xsl:if test="form">
                    <p class="forms">Also printed as: <xsl:value-of select="form" separator="; "/></p>
                  </xsl:if>
                  <xsl:for-each-group select="doc" group-by="@role">
                    <xsl:sort select="@role" order="descending"/>
                    <p class="role"><xsl:value-of select="(if (current-grouping-key() = 'sender') then 'Sent' else 'Received')
                        || ' (' || count(current-group()) || ')'"/></p>
                    <ul class="doc-list">
                      <xsl:for-each select="current-group()">
                        <xsl:call-template name="h:document-item">
                          <xsl:with-param name="entry" select="key('entry', @id, $site/root())"/>
                        </xsl:call-template>
                      </xsl:for-each>
                    </ul>
                  </xsl:for-each-group>
                </section>
              </xsl:for-each>
            </section>
          </xsl:for-each-group>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:variable>
    <xsl:sequence select="h:page('correspondents.html', $page)"/>
  </xsl:template>

</xsl:stylesheet>

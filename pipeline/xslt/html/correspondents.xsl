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
    <!-- one row per document of a correspondent: the pages are cut from these rows -->
    <xsl:variable name="rows" as="element(row)*">
      <xsl:for-each select="$sorted">
        <xsl:variable name="g" select="position()"/>
        <xsl:for-each-group select="doc" group-by="@role">
          <xsl:sort select="@role" order="descending"/>
          <xsl:for-each select="current-group()"><row g="{$g}" role="{@role}" id="{@id}"/></xsl:for-each>
        </xsl:for-each-group>
      </xsl:for-each>
    </xsl:variable>
    <xsl:variable name="letter-of" select="for $r in $rows return upper-case(substring($sorted[xs:integer($r/@g)]/@key, 1, 1))"/>
    <xsl:variable name="count" select="h:page-count(count($rows))"/>
    <xsl:sequence select="map:merge(for $n in 1 to $count return h:page(h:page-href('correspondents.html', $n),
        h:correspondents-page($site, $sorted, $rows, $letter-of, $n, $count)))" xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>
  </xsl:template>

  <xsl:function name="h:correspondents-page" as="document-node()">
    <xsl:param name="site" as="element(site)"/>
    <xsl:param name="sorted" as="element(group)*"/>
    <xsl:param name="rows" as="element(row)*"/>
    <xsl:param name="letter-of" as="xs:string*"/>
    <xsl:param name="n" as="xs:integer"/>
    <xsl:param name="count" as="xs:integer"/>
    <xsl:variable name="lo" select="($n - 1) * $rows-per-page + 1"/>
    <xsl:variable name="hi" select="min(($n * $rows-per-page, count($rows)))"/>
    <xsl:call-template name="h:shell">
      <xsl:with-param name="title" select="'Correspondents' || h:page-label($n, $count)"/>
      <xsl:with-param name="section" select="'correspondents'"/>
      <xsl:with-param name="kind" select="'correspondents'"/>
      <xsl:with-param name="href" select="h:page-href('correspondents.html', $n)"/>
      <xsl:with-param name="content" as="node()*">
        <h1>Correspondents<xsl:value-of select="h:page-label($n, $count)"/></h1>
        <p class="lead">The senders and addressees of the <xsl:value-of select="count($site/entry[sender or addressee])"/> letters,
          telegrams, notes and messages of the edition, with the documents each sent and received. Names are given as the
          headings print them<xsl:if test="map:size($names) gt 0" xmlns:map="http://www.w3.org/2005/xpath-functions/map">, grouped by the register where it identifies them</xsl:if>.</p>
        <nav class="letters" aria-label="Initial letters">
          <ul>
            <xsl:for-each select="distinct-values($letter-of)">
              <xsl:variable name="at" select="index-of($letter-of, .)[1]"/>
              <li><a href="{if (h:page-of($at) eq $n) then '' else h:page-href('correspondents.html', h:page-of($at))}#letter-{h:token(.)}"><xsl:value-of select="."/></a></li>
            </xsl:for-each>
          </ul>
        </nav>
        <xsl:call-template name="h:pager">
          <xsl:with-param name="first" select="'correspondents.html'"/>
          <xsl:with-param name="n" select="$n"/>
          <xsl:with-param name="count" select="$count"/>
          <xsl:with-param name="label" select="'Pages of the correspondents'"/>
        </xsl:call-template>
        <xsl:for-each-group select="$lo to $hi" group-adjacent="for $i in . return $letter-of[$i]">
          <xsl:variable name="continued" select="current-group()[1] gt 1 and $letter-of[current-group()[1] - 1] eq current-grouping-key()"/>
          <section class="letter" aria-labelledby="letter-{h:token(current-grouping-key())}">
            <h2 id="letter-{h:token(current-grouping-key())}"><xsl:value-of select="current-grouping-key() || (if ($continued) then ', continued' else '')"/></h2>
            <xsl:for-each-group select="current-group()" group-adjacent="for $i in . return string($rows[$i]/@g)">
              <xsl:variable name="group" select="$sorted[xs:integer(current-grouping-key())]"/>
              <xsl:variable name="first-row" select="current-group()[1]"/>
              <xsl:variable name="continued" select="$first-row gt 1 and $rows[$first-row - 1]/@g eq current-grouping-key()"/>
              <section class="correspondent" aria-labelledby="{$group/@id}">
                <h3 id="{$group/@id}">
                  <xsl:choose>
                    <xsl:when test="$group/@ref != ''"><a href="registers/{$group/@ref}.html"><xsl:value-of select="$group/@name"/></a></xsl:when>
                    <xsl:otherwise><xsl:value-of select="$group/@name"/></xsl:otherwise>
                  </xsl:choose>
                  <xsl:if test="$continued">, continued</xsl:if>
                </h3>
                <xsl:if test="$group/form and not($continued)">
                  <p class="forms">Also printed as: <xsl:value-of select="$group/form" separator="; "/></p>
                </xsl:if>
                <xsl:for-each-group select="current-group()" group-adjacent="for $i in . return string($rows[$i]/@role)">
                  <xsl:variable name="role" select="current-grouping-key()"/>
                  <xsl:variable name="role-continued" select="$continued and $rows[$first-row - 1]/@role eq $role
                      and current-group()[1] eq $first-row"/>
                  <p class="role"><xsl:value-of select="(if ($role = 'sender') then 'Sent' else 'Received')
                      || ' (' || count($group/doc[@role = $role]) || ')' || (if ($role-continued) then ', continued' else '')"/></p>
                  <ul class="doc-list">
                    <xsl:for-each select="current-group()">
                      <xsl:call-template name="h:document-item">
                        <xsl:with-param name="entry" select="key('entry', $rows[xs:integer(current())]/@id, $site/root())"/>
                      </xsl:call-template>
                    </xsl:for-each>
                  </ul>
                </xsl:for-each-group>
              </section>
            </xsl:for-each-group>
          </section>
        </xsl:for-each-group>
        <xsl:call-template name="h:pager">
          <xsl:with-param name="first" select="'correspondents.html'"/>
          <xsl:with-param name="n" select="$n"/>
          <xsl:with-param name="count" select="$count"/>
          <xsl:with-param name="label" select="'Pages of the correspondents (end of the list)'"/>
        </xsl:call-template>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:function>

</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI → HTML templates for the text of a document (imported by document.xsl).

  One template per TEI element; an element without its own template shows its text
  (the fallback at the end), so any valid TEI renders.

  HTML allows no block inside <p> or a heading. The tunnel parameter $inline is true
  inside such phrasing contexts; every template that would write a block writes a
  <span class="…"> there instead, so the output stays valid whatever TEI nests where.

  Editorial conventions (stated on the home page, see home.xsl):
    gap       […]               printed sign on hover/focus
    supplied  [text]            printed reading on hover/focus
    choice    corrected reading printed reading on hover/focus
    note      superscript number, linked to the numbered footnote and back
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition-pipeline.example/ns/edition"
    xmlns:h="https://edition-pipeline.example/ns/html"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    exclude-result-prefixes="#all">

  <xsl:import href="../lib/edition.xsl"/>

  <!-- Per-document context from Python as JSON: links that resolve inside the edition
       ({"links": {doc-id: label}}), register entries ({"registered": {id: name}}),
       prev/next, witnesses, review flags. -->
  <xsl:param name="context" as="xs:string" select="'{}'"/>
  <xsl:variable name="ctx" as="map(*)" select="parse-json($context)"/>
  <!-- From a document page back to the site root. -->
  <xsl:param name="base" as="xs:string" select="'../'"/>

  <!-- The hands of tei/edition.xml as JSON {respStmt id: "name, name"}: Python reads them
       once per run, rather than every page parsing edition.xml again. -->
  <xsl:param name="hands" as="xs:string" select="'{}'"/>
  <xsl:variable name="h:hands" as="map(*)" select="parse-json($hands)"/>

  <!-- ===== blocks ===== -->

  <xsl:template match="tei:div">
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="name" select="if ($inline) then 'span'
        else if (@type = ('reply', 'related', 'annex', 'article', 'section')) then 'section' else 'div'"/>
    <xsl:element name="{$name}">
      <xsl:attribute name="class" select="normalize-space('tei-div ' || @type || (if ($inline) then ' block' else ''))"/>
      <xsl:call-template name="h:id"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <!-- The document's own heading is the page's h1 (document.xsl); other heads by depth. -->
  <xsl:template match="tei:head">
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <!-- h1 is the document's heading; a div in the document div is h2, and so on
         (one more for TEI without the document div, whose outermost divs are h2) -->
    <xsl:variable name="depth" select="count(ancestor::tei:div[not(@type = 'main')])
        + (if (ancestor::tei:div[@type = 'document']) then 0 else 1)"/>
    <xsl:variable name="level" select="min((6, max((2, $depth))))"/>
    <xsl:element name="{if ($inline) then 'span' else 'h' || $level}">
      <xsl:attribute name="class" select="normalize-space('tei-head ' || @type)"/>
      <xsl:call-template name="h:id"/>
      <xsl:apply-templates>
        <xsl:with-param name="inline" select="true()" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:p | tei:ab">
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:choose>
      <xsl:when test="$inline">
        <span class="p block"><xsl:call-template name="h:id"/><xsl:apply-templates/></span>
      </xsl:when>
      <xsl:when test="h:has-blocks(.)">
        <div class="p"><xsl:call-template name="h:id"/><xsl:apply-templates/></div>
      </xsl:when>
      <xsl:otherwise>
        <p>
          <xsl:call-template name="h:id"/>
          <xsl:if test="@rend"><xsl:attribute name="class" select="'rend-' || ed:slug(@rend)"/></xsl:if>
          <xsl:apply-templates>
            <xsl:with-param name="inline" select="true()" tunnel="yes"/>
          </xsl:apply-templates>
        </p>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Elements whose children are blocks in HTML: these force a block container. -->
  <xsl:function name="h:has-blocks" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="exists($e/(descendant::tei:p | descendant::tei:ab | descendant::tei:list
        | descendant::tei:table | descendant::tei:lg | descendant::tei:div | descendant::tei:sp
        | descendant::tei:floatingText | descendant::tei:figure)
        (: blocks inside a note below $e do not count: such notes leave only a marker here :)
        [not(ancestor::tei:note[. >> $e][not(@place = 'inline')])])"/>
  </xsl:function>

  <xsl:template match="tei:opener | tei:closer | tei:postscript | tei:argument | tei:epigraph
      | tei:trailer | tei:byline | tei:docAuthor | tei:docDate">
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:element name="{if ($inline) then 'span' else 'div'}">
      <xsl:attribute name="class" select="'tei-' || local-name()"/>
      <xsl:call-template name="h:id"/>
      <xsl:choose>
        <!-- mixed content directly in the container: keep it in one paragraph -->
        <xsl:when test="not($inline) and text()[normalize-space()]">
          <p><xsl:apply-templates><xsl:with-param name="inline" select="true()" tunnel="yes"/></xsl:apply-templates></p>
        </xsl:when>
        <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
      </xsl:choose>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:dateline | tei:salute | tei:signed | tei:speaker | tei:address | tei:addrLine">
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:element name="{if ($inline) then 'span' else 'p'}">
      <xsl:attribute name="class" select="normalize-space('tei-' || local-name() || (if (@rend) then ' rend-' || ed:slug(@rend) else ''))"/>
      <xsl:call-template name="h:id"/>
      <xsl:apply-templates>
        <xsl:with-param name="inline" select="true()" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <!-- Speaker and speech run in: "Chicherin: Stalin's cipher …" as in the printed record. -->
  <xsl:template match="tei:sp">
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="first" select="*[not(self::tei:speaker)][1][self::tei:p][not(h:has-blocks(.))]"/>
    <xsl:element name="{if ($inline) then 'span' else 'div'}">
      <xsl:attribute name="class" select="'tei-sp'"/>
      <xsl:call-template name="h:id"/>
      <xsl:choose>
        <xsl:when test="$first and not($inline)">
          <p>
            <xsl:for-each select="tei:speaker">
              <span class="tei-speaker"><xsl:apply-templates><xsl:with-param name="inline" select="true()" tunnel="yes"/></xsl:apply-templates></span>
              <xsl:text> </xsl:text>
            </xsl:for-each>
            <xsl:apply-templates select="$first/node()"><xsl:with-param name="inline" select="true()" tunnel="yes"/></xsl:apply-templates>
          </p>
          <xsl:apply-templates select="* except (tei:speaker, $first)"/>
        </xsl:when>
        <xsl:otherwise><xsl:apply-templates select="*"/></xsl:otherwise>
      </xsl:choose>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:list">
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:choose>
      <xsl:when test="$inline">
        <span class="tei-list block"><xsl:call-template name="h:id"/><xsl:apply-templates/></span>
      </xsl:when>
      <xsl:otherwise>
        <xsl:apply-templates select="tei:head"/>
        <xsl:element name="{if (@type = ('ordered', 'numbered') or @rend = 'numbered') then 'ol' else 'ul'}">
          <!-- the converter keeps printed labels ("1)", "A)") in the items' text: no bullets then -->
          <xsl:attribute name="class" select="normalize-space('tei-list ' || (if (@type = ('ordered', 'numbered')) then '' else 'plain'))"/>
          <xsl:call-template name="h:id"/>
          <xsl:apply-templates select="* except tei:head"/>
        </xsl:element>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:item">
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:element name="{if ($inline or not(parent::tei:list)) then 'span' else 'li'}">
      <xsl:attribute name="class" select="normalize-space('tei-item ' || (if (@rend) then 'rend-' || ed:slug(@rend) else ''))"/>
      <xsl:call-template name="h:id"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <!-- a label before an item (glossary lists) is kept as text of the item row -->
  <xsl:template match="tei:list/tei:label">
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:element name="{if ($inline) then 'span' else 'li'}">
      <xsl:attribute name="class" select="'tei-label'"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:quote | tei:q | tei:said | tei:cit">
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:choose>
      <xsl:when test="not($inline) and h:has-blocks(.)">
        <blockquote class="tei-{local-name()}"><xsl:call-template name="h:id"/><xsl:apply-templates/></blockquote>
      </xsl:when>
      <xsl:otherwise>
        <span class="tei-{local-name()}"><xsl:call-template name="h:id"/><xsl:apply-templates/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:lg">
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:element name="{if ($inline) then 'span' else 'div'}">
      <xsl:attribute name="class" select="'tei-lg block'"/>
      <xsl:call-template name="h:id"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:l">
    <span class="tei-l block"><xsl:call-template name="h:id"/><xsl:apply-templates/></span>
  </xsl:template>

  <xsl:template match="tei:table">
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:choose>
      <xsl:when test="$inline"><span class="tei-table block"><xsl:apply-templates/></span></xsl:when>
      <xsl:otherwise>
        <table class="tei-table">
          <xsl:call-template name="h:id"/>
          <xsl:if test="tei:head"><caption><xsl:apply-templates select="tei:head/node()"><xsl:with-param name="inline" select="true()" tunnel="yes"/></xsl:apply-templates></caption></xsl:if>
          <tbody><xsl:apply-templates select="tei:row"/></tbody>
        </table>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:row">
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:choose>
      <xsl:when test="$inline"><span class="tei-row block"><xsl:apply-templates/></span></xsl:when>
      <xsl:otherwise><tr><xsl:apply-templates select="tei:cell"/></tr></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:cell">
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:choose>
      <xsl:when test="$inline"><span class="tei-cell"><xsl:apply-templates/><xsl:text> </xsl:text></span></xsl:when>
      <xsl:otherwise>
        <xsl:element name="{if (@role = 'label' or parent::tei:row/@role = 'label') then 'th' else 'td'}">
          <xsl:if test="@cols"><xsl:attribute name="colspan" select="@cols"/></xsl:if>
          <xsl:if test="@rows"><xsl:attribute name="rowspan" select="@rows"/></xsl:if>
          <xsl:apply-templates/>
        </xsl:element>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:figure">
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:element name="{if ($inline) then 'span' else 'div'}">
      <xsl:attribute name="class" select="'tei-figure'"/>
      <xsl:apply-templates select="* except tei:graphic"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:figDesc">
    <span class="tei-figDesc">[<xsl:apply-templates/>]</span>
  </xsl:template>

  <xsl:template match="tei:floatingText | tei:group | tei:front | tei:back | tei:body | tei:text">
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:element name="{if ($inline) then 'span' else 'div'}">
      <xsl:attribute name="class" select="'tei-' || local-name()"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <!-- "* * *" between the texts of one unit -->
  <xsl:template match="tei:milestone">
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:element name="{if ($inline) then 'span' else 'p'}">
      <xsl:attribute name="class" select="'tei-milestone'"/>
      <xsl:value-of select="(@rend, '* * *')[1]"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:lb"><br/></xsl:template>
  <xsl:template match="tei:pb">
    <span class="tei-pb">[<xsl:value-of select="if (@n) then 'p. ' || @n else 'page break'"/>]</span>
  </xsl:template>
  <xsl:template match="tei:cb | tei:fw | tei:graphic | tei:media | tei:binaryObject | tei:anchor"/>

  <!-- ===== inline ===== -->

  <xsl:template match="tei:hi">
    <xsl:variable name="r" select="tokenize(normalize-space(@rend), ' ')"/>
    <xsl:choose>
      <xsl:when test="$r = ('bold', 'b', 'strong')"><b><xsl:apply-templates/></b></xsl:when>
      <xsl:when test="$r = ('italic', 'i', 'italics')"><i><xsl:apply-templates/></i></xsl:when>
      <xsl:when test="$r = ('sup', 'superscript')"><sup><xsl:apply-templates/></sup></xsl:when>
      <xsl:when test="$r = ('sub', 'subscript')"><sub><xsl:apply-templates/></sub></xsl:when>
      <xsl:otherwise><span class="{string-join(('tei-hi', $r ! ('rend-' || ed:slug(.))), ' ')}"><xsl:apply-templates/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:emph"><em><xsl:apply-templates/></em></xsl:template>
  <xsl:template match="tei:foreign | tei:term | tei:mentioned | tei:soCalled | tei:gloss">
    <span class="tei-{local-name()}">
      <xsl:if test="@xml:lang"><xsl:attribute name="lang" select="@xml:lang"/></xsl:if>
      <xsl:apply-templates/>
    </span>
  </xsl:template>
  <xsl:template match="tei:title"><cite class="tei-title"><xsl:apply-templates/></cite></xsl:template>

  <xsl:template match="tei:date | tei:time">
    <xsl:variable name="iso" select="string((@when, @from)[1])"/>
    <xsl:choose>
      <xsl:when test="not(node())"/>
      <xsl:when test="matches($iso, '^\d{4}(-\d{2}(-\d{2})?)?$')">
        <time class="tei-{local-name()}" datetime="{$iso}"><xsl:apply-templates/></time>
      </xsl:when>
      <xsl:otherwise><span class="tei-{local-name()}"><xsl:apply-templates/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:seg[@type = 'classification']">
    <span class="classification"><xsl:apply-templates/></span>
  </xsl:template>

  <!-- a handling mark or distribution line on a line of its own -->
  <xsl:template match="tei:opener/tei:seg | tei:closer/tei:seg" priority="2">
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:element name="{if ($inline) then 'span' else 'p'}">
      <xsl:attribute name="class" select="normalize-space('tei-seg ' || @type || ' ' || @subtype)"/>
      <xsl:apply-templates><xsl:with-param name="inline" select="true()" tunnel="yes"/></xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <!-- Names: a link to the register page when the register has the entry; else the text. -->
  <xsl:template match="tei:persName | tei:placeName | tei:orgName | tei:name | tei:rs | tei:geogName">
    <xsl:variable name="ids" select="tokenize(normalize-space(@ref), ' ') ! substring-after(., '#')"/>
    <xsl:variable name="reg" select="($ctx?registered, map{})[1]"/>
    <xsl:variable name="id" select="$ids[map:contains($reg, .)][1]"/>
    <xsl:choose>
      <xsl:when test="$id">
        <a class="name tei-{local-name()}" href="{$base}registers/{$id}.html" title="{$reg($id)}"><xsl:apply-templates/></a>
      </xsl:when>
      <xsl:otherwise>
        <span class="name tei-{local-name()}"><xsl:apply-templates/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Cross-references: a link when the target is a document of this edition, or a web
       address; otherwise (a volume of the printed series) the text, marked as external. -->
  <xsl:template match="tei:ref | tei:ptr">
    <xsl:variable name="target" select="normalize-space(@target)"/>
    <xsl:variable name="links" select="($ctx?links, map{})[1]"/>
    <xsl:variable name="id" select="if ($target) then ed:target-id(tokenize($target, ' ')[1]) else ''"/>
    <xsl:variable name="text" as="node()*">
      <xsl:choose>
        <xsl:when test="self::tei:ptr or not(node())"><xsl:value-of select="if ($id and map:contains($links, $id)) then $links($id) else $target"/></xsl:when>
        <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$id and map:contains($links, $id)">
        <a class="ref doc-ref" href="{$base}documents/{$id}.html"><xsl:sequence select="$text"/></a>
      </xsl:when>
      <xsl:when test="matches($target, '^https?://')">
        <a class="ref external" href="{$target}"><xsl:sequence select="$text"/></a>
      </xsl:when>
      <xsl:when test="@type = 'document'">
        <span class="ref outside" title="{if (@n) then 'Document ' || @n || ' of the printed series; not in this edition' else 'Outside this edition'}"><xsl:sequence select="$text"/></span>
      </xsl:when>
      <xsl:otherwise><span class="ref"><xsl:sequence select="$text"/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ===== the apparatus in the text: reading shown, printed reading on hover/focus ===== -->

  <!-- $shown: what the reader sees; $tip: what was printed and who did it -->
  <xsl:template name="h:app">
    <xsl:param name="class" as="xs:string"/>
    <xsl:param name="shown" as="item()*"/>
    <xsl:param name="tip" as="xs:string"/>
    <xsl:variable name="tip-id" select="h:node-id(.) || '-tip'"/>
    <span class="app {$class}" tabindex="0" aria-describedby="{$tip-id}">
      <xsl:call-template name="h:id"/>
      <xsl:sequence select="$shown"/>
      <span class="tip" role="tooltip" id="{$tip-id}"><xsl:value-of select="$tip"/></span>
    </span>
  </xsl:template>

  <xsl:template match="tei:gap">
    <xsl:variable name="printed" select="string(@rend)"/>
    <xsl:variable name="why" select="if (@reason = 'omitted' or not(@reason)) then 'Passage omitted'
        else if (@reason = 'illegible') then 'Illegible passage' else ed:capitalise(replace(@reason, '-', ' '))"/>
    <xsl:call-template name="h:app">
      <xsl:with-param name="class" select="'gap'"/>
      <xsl:with-param name="shown" select="if (@reason = 'illegible') then '[illegible]' else '[…]'"/>
      <xsl:with-param name="tip" select="$why || h:by(@resp) || (if ($printed) then '; printed as “' || $printed || '”.' else '.')
          || (if (@quantity) then ' Extent: ' || @quantity || ' ' || @unit || '.' else '')"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:supplied">
    <xsl:call-template name="h:app">
      <xsl:with-param name="class" select="'supplied'"/>
      <xsl:with-param name="shown" as="node()*">
        <span class="bracket">[</span><xsl:apply-templates/><span class="bracket">]</span>
      </xsl:with-param>
      <xsl:with-param name="tip" select="'Supplied' || h:by(@resp) || '; printed in square brackets: “[' || ed:plain(.) || ']”.'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:choice[tei:sic or tei:orig or tei:abbr]">
    <xsl:variable name="new" select="(tei:corr, tei:reg, tei:expan)[1]"/>
    <xsl:variable name="old" select="(tei:sic, tei:orig, tei:abbr)[1]"/>
    <xsl:call-template name="h:app">
      <xsl:with-param name="class" select="if ($old/self::tei:abbr) then 'abbr' else 'corr'"/>
      <xsl:with-param name="shown" as="node()*">
        <xsl:apply-templates select="if ($old/self::tei:abbr or empty($new)) then $old/node() else $new/node()"/>
      </xsl:with-param>
      <xsl:with-param name="tip" select="
          if ($old/self::tei:abbr) then 'Abbreviation; in full: “' || h:text($new) || '”.'
          else 'Printed “' || h:text($old) || '”; read as “' || h:text($new) || '”' || h:by(($new/@resp, @resp)[1])
               || (if ($new/@cert) then ' (certainty: ' || $new/@cert || ')' else '') || '.'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:choice">
    <xsl:apply-templates select="*[1]"/>
  </xsl:template>

  <xsl:template match="tei:sic[not(parent::tei:choice)]">
    <xsl:call-template name="h:app">
      <xsl:with-param name="class" select="'sic'"/>
      <xsl:with-param name="shown" as="node()*"><xsl:apply-templates/><span class="sic-mark"> [sic]</span></xsl:with-param>
      <xsl:with-param name="tip" select="'So printed in the source.'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:corr[not(parent::tei:choice)]">
    <xsl:call-template name="h:app">
      <xsl:with-param name="class" select="'corr'"/>
      <xsl:with-param name="shown" as="node()*"><xsl:apply-templates/></xsl:with-param>
      <xsl:with-param name="tip" select="'Corrected' || h:by(@resp) || (if (@cert) then ' (certainty: ' || @cert || ')' else '') || '.'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:unclear">
    <xsl:call-template name="h:app">
      <xsl:with-param name="class" select="'unclear'"/>
      <xsl:with-param name="shown" as="node()*"><xsl:apply-templates/><span class="bracket">[?]</span></xsl:with-param>
      <xsl:with-param name="tip" select="'Uncertain reading' || (if (@reason) then ' (' || @reason || ')' else '') || '.'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:del">
    <xsl:call-template name="h:app">
      <xsl:with-param name="class" select="'del'"/>
      <xsl:with-param name="shown" as="node()*"><del><xsl:apply-templates/></del></xsl:with-param>
      <xsl:with-param name="tip" select="'Deleted in the source' || (if (@rend) then ' (' || @rend || ')' else '') || '.'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:add">
    <xsl:call-template name="h:app">
      <xsl:with-param name="class" select="'add'"/>
      <xsl:with-param name="shown" as="node()*"><span class="bracket">⸢</span><xsl:apply-templates/><span class="bracket">⸣</span></xsl:with-param>
      <xsl:with-param name="tip" select="'Added in the source' || (if (@place) then ' (' || @place || ')' else '') || '.'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:sic | tei:corr | tei:orig | tei:reg | tei:abbr | tei:expan">
    <xsl:apply-templates/>
  </xsl:template>

  <!-- ===== notes ===== -->

  <!-- A foot note (or a note with no @place other than the source note and inline
       remarks) leaves a numbered marker; its text goes to the notes list (document.xsl).
       Other notes are compilers' remarks in the running text ("(Emphasis added – Y.B.)").
       The markers and the numbering order are computed once per document (cache="yes" in
       edition.xsl); no sequence of all the notes is passed as a typed parameter either:
       Saxon checks the type of every item of such a parameter at each call, once per note. -->
  <xsl:template match="tei:note">
    <xsl:choose>
      <xsl:when test="@subtype = 'unanchored' and ed:is-note-marker(.)"/>
      <xsl:when test="ed:is-note-marker(.)">
        <xsl:variable name="served" select="ed:served-note(.)"/>
        <xsl:variable name="n" select="ed:note-number(.)"/>
        <xsl:variable name="mine" select="ed:markers-of($served)"/>
        <a class="fn-ref" href="#{h:note-anchor($n)}" id="{h:marker-anchor($n, index-of($mine ! generate-id(.), generate-id(.))[1])}"
           role="doc-noteref" aria-label="Note {$n}"><sup><xsl:value-of select="$n"/></sup></a>
      </xsl:when>
      <xsl:otherwise>
        <span class="note-inline">
          <xsl:call-template name="h:id"/>
          <xsl:apply-templates><xsl:with-param name="inline" select="true()" tunnel="yes"/></xsl:apply-templates>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The source note is written in the Source section, not in the running text. -->
  <xsl:template match="tei:note[@type = 'source']" priority="3"/>

  <!-- A note's text in the notes list: runs of inline content become paragraphs. -->
  <xsl:template match="tei:note" mode="footnote-body">
    <xsl:for-each-group select="node() except tei:label[1]" group-adjacent="exists(self::tei:p | self::tei:list | self::tei:quote[h:has-blocks(.)] | self::tei:table | self::tei:lg)">
      <xsl:choose>
        <xsl:when test="current-grouping-key()">
          <xsl:apply-templates select="current-group()"/>
        </xsl:when>
        <xsl:when test="normalize-space(string-join(current-group() ! string(.), '')) or current-group()/self::*">
          <p>
            <xsl:apply-templates select="h:trim-start(current-group())">
              <xsl:with-param name="inline" select="true()" tunnel="yes"/>
            </xsl:apply-templates>
          </p>
        </xsl:when>
      </xsl:choose>
    </xsl:for-each-group>
  </xsl:template>

  <!-- Leading whitespace-only text (after the label) is dropped. -->
  <xsl:function name="h:trim-start" as="node()*">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:sequence select="$nodes[not(self::text() and not(normalize-space()) and . is $nodes[1])]"/>
  </xsl:function>

  <xsl:template match="tei:label">
    <span class="tei-label"><xsl:apply-templates/></span>
  </xsl:template>

  <!-- ===== header elements met in the text (bibl in notes, idno, …) ===== -->

  <xsl:template match="tei:bibl | tei:biblStruct">
    <span class="tei-bibl"><xsl:call-template name="h:id"/><xsl:apply-templates/></span>
  </xsl:template>

  <!-- ===== elements shown as their text, in a span that names them for the CSS ===== -->

  <xsl:template match="tei:idno | tei:citedRange | tei:seg | tei:num | tei:measure | tei:locus | tei:author
      | tei:editor | tei:publisher | tei:pubPlace | tei:biblScope | tei:country | tei:region | tei:settlement
      | tei:district | tei:bloc | tei:roleName | tei:forename | tei:surname | tei:addName | tei:genName
      | tei:nameLink | tei:affiliation | tei:occupation | tei:w | tei:pc | tei:c | tei:s | tei:phr | tei:cl
      | tei:code | tei:ident | tei:gi | tei:att | tei:val | tei:tag | tei:email | tei:origDate | tei:origPlace
      | tei:objectType | tei:material | tei:state | tei:trait | tei:desc | tei:stamp | tei:damage | tei:space
      | tei:handShift | tei:catchwords | tei:signatures | tei:secFol | tei:dimensions | tei:height | tei:width
      | tei:depth | tei:repository | tei:collection | tei:institution | tei:msName | tei:altIdentifier
      | tei:objectName | tei:offset | tei:geo | tei:location | tei:unit | tei:distinct | tei:listBibl
      | tei:listPerson | tei:listPlace | tei:listOrg | tei:person | tei:place | tei:org | tei:event
      | tei:respStmt | tei:resp | tei:imprint | tei:series | tei:edition | tei:extent | tei:note[@type = 'witness']">
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:call-template name="h:generic">
      <xsl:with-param name="inline" select="$inline"/>
    </xsl:call-template>
  </xsl:template>

  <!-- ===== the fallback: unknown elements show their text, and say so ===== -->

  <xsl:template match="tei:*">
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:message select="'element ' || name() || ' (at ' || string-join(ancestor-or-self::*/name(), '/')
        || ') has no template of its own: shown as its text'"/>
    <xsl:call-template name="h:generic">
      <xsl:with-param name="inline" select="$inline"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="h:generic">
    <xsl:param name="inline" as="xs:boolean"/>
    <xsl:element name="{if ($inline or not(h:has-blocks(.))) then 'span' else 'div'}">
      <xsl:attribute name="class" select="'tei-' || local-name()"/>
      <xsl:call-template name="h:id"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <!-- Elements of other namespaces inside TEI (MathML, SVG, …): their text. -->
  <xsl:template match="*">
    <span class="foreign-xml"><xsl:apply-templates/></span>
  </xsl:template>

  <xsl:template match="comment() | processing-instruction()"/>

  <!-- ===== helpers ===== -->

  <!-- The element's xml:id as HTML id (fragment links keep working). -->
  <xsl:template name="h:id">
    <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
  </xsl:template>

  <!-- A stable id for any node: its xml:id, else its position in the document (not
       generate-id(), whose values depend on what else the processor parsed). -->
  <!-- One scheme for the notes of every page: note n is #note-n, its first marker
       #note-n-ref, further markers of the same note #note-n-ref-2, -3 … (n: the note's
       number, ed:note-number, the same in print). -->
  <xsl:function name="h:note-anchor" as="xs:string">
    <xsl:param name="n" as="xs:integer?"/>
    <xsl:sequence select="'note-' || ($n, 0)[1]"/>
  </xsl:function>

  <xsl:function name="h:marker-anchor" as="xs:string">
    <xsl:param name="n" as="xs:integer?"/>
    <xsl:param name="k" as="xs:integer?"/>
    <xsl:sequence select="h:note-anchor($n) || '-ref' || (if (($k, 1)[1] gt 1) then '-' || $k else '')"/>
  </xsl:function>

  <xsl:function name="h:node-id" as="xs:string">
    <xsl:param name="n" as="node()"/>
    <xsl:sequence select="if ($n/@xml:id) then string($n/@xml:id)
        else let $a := count($n/ancestor::node()) return 'n' || (ed:node-position($n) - $a) || '-' || $a"/>
  </xsl:function>

  <!-- the text of an element as it stands, notes included (for the tips) -->
  <xsl:function name="h:text" as="xs:string">
    <xsl:param name="e" as="element()?"/>
    <xsl:sequence select="normalize-space(string($e))"/>
  </xsl:function>

  <!-- " by the compilers (…)" from @resp -->
  <xsl:function name="h:by" as="xs:string">
    <xsl:param name="resp" as="attribute()?"/>
    <xsl:sequence select="if ($resp) then ' by ' || h:hand($resp) else ''"/>
  </xsl:function>

  <xsl:function name="h:hand" as="xs:string">
    <xsl:param name="resp" as="xs:string"/>
    <xsl:variable name="id" select="substring-after($resp, '#')"/>
    <xsl:sequence select="ed:hand-phrase($id, string(($h:hands($id), '')[1]))"/>
  </xsl:function>

</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  One TEI document (docs/encoding.md) as Typst markup for the print edition.

  Called from volume.xsl with the document's TEI element in mode "document". Writes
  calls of the functions defined in pipeline/print/edition.typ (doc-start, doc-head,
  dateline, fn, …) and paragraphs as plain markup separated by blank lines. All text
  goes through tp:text (markup) or tp:string (arguments); see escape.xsl.

  Before every block a line comment "// @ <doc-id> <path>" names the TEI element it
  comes from, so that pipeline/pdf.py can map a Typst diagnostic back to the document
  and the place in it.

  Conventions (stated in the printed editorial principles, pipeline/print/edition.typ):
    supplied text            [text]        (the compilers' square brackets, as printed)
    gaps                     their printed sign (<…>, [...], .....)
    damaged readings         the edition's reading (the printed form stays in the TEI)
    note markers             footnotes numbered per document as on the web (ed:note-sign)
    unresolved markers       the number, with an editorial footnote: the source lacks the note
    unanchored notes         printed where they stand, set off, with their printed label
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition-pipeline.example/ns/edition"
    xmlns:tp="https://edition-pipeline.example/ns/typst"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    exclude-result-prefixes="#all">

  <!-- ===== helpers ===== -->

  <!-- "// @ nk-562 head[1]": where a block comes from, relative to the document div. -->
  <xsl:function name="tp:where" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="steps" select="$e/ancestor-or-self::*[ancestor::tei:div[@type = 'document']]"/>
    <xsl:sequence select="string-join($steps ! (let $s := . return
        local-name() || '[' || (1 + count(preceding-sibling::*[node-name() = node-name($s)])) || ']'), '/')"/>
  </xsl:function>

  <xsl:template name="tp:at">
    <xsl:param name="e" as="element()" select="."/>
    <xsl:param name="doc-id" as="xs:string" tunnel="yes"/>
    <xsl:text>&#10;// @ </xsl:text>
    <xsl:value-of select="tp:comment($doc-id || ' ' || tp:where($e))"/>
    <xsl:text>&#10;</xsl:text>
  </xsl:template>

  <!-- At the start of the first text after the opening: what the opening defers. -->
  <xsl:template name="tp:carry">
    <xsl:param name="carrier" as="element()?" tunnel="yes" select="()"/>
    <xsl:param name="carried" as="xs:string" tunnel="yes" select="''"/>
    <xsl:if test=". is $carrier">
      <xsl:value-of select="$carried"/>
    </xsl:if>
  </xsl:template>

  <!-- A block: location comment, then "#name[content]" on its own line. -->
  <xsl:template name="tp:block">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="args" as="xs:string" select="''"/>
    <xsl:param name="content" as="node()*" select="node()"/>
    <xsl:call-template name="tp:at"/>
    <xsl:text>#</xsl:text>
    <xsl:value-of select="$name"/>
    <xsl:if test="$args">(<xsl:value-of select="$args"/>)</xsl:if>
    <xsl:text>[</xsl:text>
    <xsl:call-template name="tp:carry"/>
    <xsl:apply-templates select="$content"/>
    <xsl:call-template name="tp:end-room"/>
    <xsl:text>]&#10;</xsl:text>
    <xsl:call-template name="tp:closing-mark"/>
  </xsl:template>

  <!-- Notes printed as footnotes: at the foot, with a marker in the text, not a
       second marker of a shared note, not an unresolved marker, not standing alone
       as a block (unanchored notes are printed where they stand). -->
  <xsl:function name="tp:is-footnote" as="xs:boolean">
    <xsl:param name="n" as="element(tei:note)"/>
    <xsl:sequence select="$n/@place = 'foot' and not($n/@type = ('unresolved', 'source'))
        and not($n/@subtype = ('shared', 'label')) and not(tp:is-note-block($n))"/>
  </xsl:function>

  <!-- Unanchored notes (no marker in the source's text) and notes standing between
       blocks are printed where they stand, not as footnotes: a footnote would need a
       marker that the source does not print. -->
  <xsl:function name="tp:is-note-block" as="xs:boolean">
    <xsl:param name="n" as="element(tei:note)"/>
    <xsl:sequence select="not($n/@type = ('source', 'unresolved')) and not($n/@subtype = ('shared', 'label'))
        and (exists($n/parent::tei:div) or $n/@subtype = 'unanchored')"/>
  </xsl:function>

  <!-- Widow and orphan control for a block that holds footnote markers (fn-par, item, sp in
       the page design): kept at each end of the block where no marker stands within its
       first or last 200 characters of text (about two lines), turned off where one does
       (Typst would move that line to the next page and leave its note behind). A block
       that carries the opening's notes has them at its start. -->
  <xsl:function name="tp:edge-control" as="xs:string">
    <xsl:param name="block" as="element()"/>
    <xsl:param name="carries" as="xs:boolean"/>
    <xsl:variable name="marks" select="$block//(tei:note[tp:is-footnote(.) or @subtype = 'shared'
        or @type = 'unresolved'] | tei:app)"/>
    <xsl:variable name="texts" select="$block//text()[not(ancestor::tei:note)][not(ancestor::tei:rdg)]"/>
    <xsl:variable name="first" select="$marks[1]"/>
    <xsl:variable name="last" select="$marks[last()]"/>
    <xsl:variable name="before" select="sum($texts[. &lt;&lt; $first] ! string-length(.))"/>
    <xsl:variable name="after" select="sum($texts[. >> $last][not(ancestor::* intersect $last)] ! string-length(.))"/>
    <xsl:sequence select="if (empty($marks)) then 'orphans: ' || string(not($carries)) || ', widows: true'
        else 'orphans: ' || string(not($carries) and $before ge 200) || ', widows: ' || string($after ge 200)"/>
  </xsl:function>

  <!-- The last block of a document's text keeps its last two lines together whatever
       notes stand there: they are kept with the document's closing (end-room). -->
  <xsl:function name="tp:end-kept" as="xs:string">
    <xsl:param name="control" as="xs:string"/>
    <xsl:param name="last" as="xs:boolean"/>
    <xsl:sequence select="if ($last) then replace($control, 'widows: false', 'widows: true') else $control"/>
  </xsl:function>

  <!-- The footnote's sign: the number the shared library gives it (ed:note-sign), the
       same as on the web page of the document. -->
  <xsl:function name="tp:fn-mark" as="xs:string">
    <xsl:param name="n" as="element(tei:note)"/>
    <xsl:sequence select="ed:note-sign($n)"/>
  </xsl:function>

  <xsl:function name="tp:note-label" as="xs:string">
    <xsl:param name="n" as="element(tei:note)"/>
    <!-- Notes without an id are numbered by position, never by generate-id(), whose
         values differ from run to run: the Typst source must be reproducible. -->
    <xsl:sequence select="tp:label(if ($n/@xml:id) then string($n/@xml:id) else ed:doc-id($n) || '-note'
        || (for $d in ed:document($n) return tp:note-positions($d)(generate-id($n))))"/>
  </xsl:function>

  <!-- The position of each note in its document, made once per document (asked for every
       note, counting would be quadratic). -->
  <xsl:function name="tp:note-positions" as="map(xs:string, xs:integer)" cache="yes">
    <xsl:param name="doc" as="element()"/>
    <xsl:variable name="all" select="$doc//tei:note"/>
    <xsl:sequence select="map:merge(for-each-pair($all, 1 to count($all),
        function($x, $i) { map:entry(generate-id($x), $i) }))"/>
  </xsl:function>

  <!-- A series' short name: its preferred name without the explanation in brackets. -->
  <xsl:function name="tp:series-name" as="xs:string">
    <xsl:param name="org" as="element()"/>
    <xsl:variable name="n" select="normalize-space(($org/tei:orgName[@type = 'preferred'], $org/tei:orgName)[1])"/>
    <xsl:sequence select="normalize-space(replace($n, '\s*\([^)]*\)$', ''))"/>
  </xsl:function>

  <!-- The register id a @ref points to ("../registers.xml#p_12" → "p_12"). -->
  <xsl:function name="tp:ref-ids" as="xs:string*">
    <xsl:param name="ref" as="attribute()?"/>
    <xsl:sequence select="tokenize(normalize-space($ref), ' ')[contains(., '#')] ! substring-after(., '#')"/>
  </xsl:function>

  <!-- After the last block of a document's text: where its closing begins (see below). -->
  <xsl:variable name="tp:closing-mark" select="'&#10;//closing&#10;'"/>

  <!-- The last block of a document's text: its end makes room for the closing. -->
  <xsl:template name="tp:end-room">
    <xsl:param name="last-block" as="element()?" tunnel="yes" select="()"/>
    <xsl:if test=". is $last-block">
      <xsl:text>#end-room(closing)</xsl:text>
    </xsl:if>
  </xsl:template>

  <xsl:template name="tp:closing-mark">
    <xsl:param name="last-block" as="element()?" tunnel="yes" select="()"/>
    <xsl:if test=". is $last-block">
      <xsl:value-of select="$tp:closing-mark"/>
    </xsl:if>
  </xsl:template>

  <!-- ===== the document ===== -->

  <xsl:template match="tei:TEI" mode="document">
    <xsl:param name="num" as="xs:string"/>
    <xsl:param name="numbers" as="map(xs:string, xs:string)" tunnel="yes"/>
    <xsl:variable name="div" select="ed:document(.)"/>
    <xsl:variable name="id" select="ed:doc-id(.)"/>
    <xsl:variable name="date" select="ed:doc-date(.)"/>
    <xsl:text>&#10;// @ </xsl:text>
    <xsl:value-of select="tp:comment($id)"/>
    <xsl:text>&#10;#doc-start(id: </xsl:text>
    <xsl:value-of select="tp:string($id)"/>
    <xsl:text>, num: </xsl:text>
    <xsl:value-of select="tp:string($num)"/>
    <xsl:text>, date: </xsl:text>
    <xsl:value-of select="tp:string(ed:date-label($date))"/>
    <xsl:text>, title: </xsl:text>
    <xsl:value-of select="tp:string(ed:doc-title(.))"/>
    <!-- The opening (number, heading, classification, dateline) is one block that
         the page design keeps together and with the first lines of the text. It holds
         no footnote and no index marker: Typst leaves those of a block behind when it
         moves the block to the next page (issue #5314). Its notes show their marker
         there and are set (with a hidden marker) at the start of the first text that
         follows, the "carrier", together with the index markers of the opening. -->
    <xsl:variable name="opening" select="$div/tei:head[1], $div/tei:opener[1]/(tei:dateline | tei:seg[@type = 'classification'])"/>
    <xsl:variable name="carrier" select="($div//(tei:p | tei:item | tei:sp | tei:salute | tei:signed)
        [not(ancestor::tei:note)][not(ancestor-or-self::* intersect $opening)])[1]"/>
    <!-- footnotes that the first three lines bring to the foot of the page: the
         opening's (set with the first text) and those of the first text's opening words -->
    <!-- the carrier's first text node that reaches 220 characters: the notes before it
         are in the first lines (found in one pass, not by summing before every note) -->
    <xsl:variable name="line-end" as="text()?">
      <xsl:iterate select="$carrier//text()[not(ancestor::tei:note)]">
        <xsl:param name="seen" select="0" as="xs:integer"/>
        <xsl:variable name="upto" select="$seen + string-length(.)"/>
        <xsl:choose>
          <xsl:when test="$upto ge 220"><xsl:break select="."/></xsl:when>
          <xsl:otherwise><xsl:next-iteration><xsl:with-param name="seen" select="$upto"/></xsl:next-iteration></xsl:otherwise>
        </xsl:choose>
      </xsl:iterate>
    </xsl:variable>
    <xsl:variable name="early-notes" select="count($opening//(tei:note[tp:is-footnote(.) or @type = 'unresolved'] | tei:app))
        + count($carrier//(tei:note[tp:is-footnote(.) or @type = 'unresolved'] | tei:app)
            [empty($line-end) or . &lt;&lt; $line-end])"/>
    <xsl:text>, notes: </xsl:text>
    <xsl:value-of select="$early-notes"/>
    <xsl:text>)[</xsl:text>
    <xsl:apply-templates select="$opening">
      <xsl:with-param name="doc-id" select="$id" tunnel="yes"/>
      <xsl:with-param name="in-opening" select="true()" tunnel="yes"/>
    </xsl:apply-templates>
    <xsl:text>]&#10;</xsl:text>
    <xsl:variable name="deferred">
      <!-- correspondents, names and notes of the opening (see above) -->
      <xsl:apply-templates select="tei:teiHeader/tei:profileDesc/tei:correspDesc//(tei:persName | tei:orgName | tei:name | tei:placeName),
          $opening//(tei:persName | tei:placeName | tei:orgName | tei:name | tei:rs)" mode="index"/>
      <xsl:apply-templates select="$opening//tei:note[tp:is-footnote(.) or @type = 'unresolved']">
        <xsl:with-param name="doc-id" select="$id" tunnel="yes"/>
      </xsl:apply-templates>
      <!-- and the variants of the opening (apparatus.xsl) -->
      <xsl:apply-templates select="$opening//tei:app" mode="variant-note"/>
    </xsl:variable>
    <xsl:variable name="carried" select="if (normalize-space($deferred)) then '#carry[' || $deferred || ']' else ''"/>
    <xsl:if test="empty($carrier) and $carried">
      <xsl:text>&#10;</xsl:text>
      <xsl:value-of select="$carried"/>
      <xsl:text>&#10;&#10;</xsl:text>
    </xsl:if>
    <!-- The closing of the document (what follows its last block of text: closer,
         signatures, the source notes, the witnesses' note) is kept with the last two
         lines of that block: the block ends with room for the closing (end-room in the
         page design), which the closing then takes back (closing-block). The closing is
         written as the value `closing` first, then the text, whose last block the
         stylesheet marks with the line "//closing" (a line that text cannot make:
         tp:text escapes "/"), then the closing is set. -->
    <xsl:variable name="last-block" select="($div//(tei:p[not(ancestor::tei:sp | ancestor::tei:item)] | tei:item | tei:sp)
        [not(ancestor::tei:note | ancestor::tei:closer | ancestor::tei:postscript)])[last()]
        [not(.//tei:note[tp:is-note-block(.)])]"/>
    <xsl:variable name="text" as="xs:string">
      <xsl:value-of>
        <xsl:apply-templates select="$div/node() except $div/tei:head[1]">
          <xsl:with-param name="doc-id" select="$id" tunnel="yes"/>
          <xsl:with-param name="opening" select="$opening" tunnel="yes"/>
          <xsl:with-param name="carrier" select="$carrier" tunnel="yes"/>
          <xsl:with-param name="carried" select="$carried" tunnel="yes"/>
          <xsl:with-param name="last-block" select="$last-block" tunnel="yes"/>
        </xsl:apply-templates>
      </xsl:value-of>
    </xsl:variable>
    <xsl:variable name="tail" as="xs:string">
      <xsl:value-of>
        <xsl:call-template name="source-notes">
          <xsl:with-param name="tei" select="."/>
          <xsl:with-param name="doc-id" select="$id" tunnel="yes"/>
        </xsl:call-template>
        <xsl:call-template name="tp:apparatus">
          <xsl:with-param name="tei" select="."/>
          <xsl:with-param name="doc-id" select="$id" tunnel="yes"/>
        </xsl:call-template>
      </xsl:value-of>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="contains($text, $tp:closing-mark)">
        <xsl:text>&#10;// @ </xsl:text>
        <xsl:value-of select="tp:comment($id)"/>
        <xsl:variable name="closing" select="substring-after($text, $tp:closing-mark) || $tail"/>
        <xsl:text>&#10;#let closing = (notes: </xsl:text>
        <xsl:value-of select="count(tokenize($closing, '#(fn|fn-missing|vn)\(')) - 1"/>
        <xsl:text>, body: [</xsl:text>
        <xsl:value-of select="$closing"/>
        <xsl:text>])&#10;</xsl:text>
        <xsl:value-of select="substring-before($text, $tp:closing-mark)"/>
        <xsl:text>&#10;#closing-block(closing)&#10;</xsl:text>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="$text"/>
        <xsl:value-of select="$tail"/>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:text>#doc-end()&#10;</xsl:text>
  </xsl:template>

  <!-- Whitespace between blocks is layout of the XML file, not text. -->
  <xsl:template match="text()[not(normalize-space())][parent::tei:div or parent::tei:opener or parent::tei:closer
      or parent::tei:list or parent::tei:sp or parent::tei:postscript or parent::tei:body]"/>

  <!-- Stray text directly in a block container (not expected by the contract):
       printed as a paragraph rather than lost. -->
  <xsl:template match="text()[normalize-space()][parent::tei:div or parent::tei:list or parent::tei:sp
      or parent::tei:postscript]" priority="2">
    <xsl:text>&#10;&#10;</xsl:text>
    <xsl:value-of select="tp:text(.)"/>
    <xsl:text>&#10;&#10;</xsl:text>
  </xsl:template>

  <xsl:template match="text()">
    <xsl:value-of select="tp:text(.)"/>
  </xsl:template>

  <!-- A note's marker follows its word without a space, as a press sets it ("year.¹",
       not "year. ¹"), whatever space the source prints before it (print only: the TEI
       keeps the source's spacing). -->
  <xsl:template match="text()[following-sibling::node()[1][self::tei:note[tp:prints-marker(.)]]]" priority="1">
    <xsl:value-of select="tp:text(replace(., '\s+$', ''))"/>
  </xsl:template>

  <xsl:function name="tp:prints-marker" as="xs:boolean">
    <xsl:param name="n" as="element(tei:note)"/>
    <xsl:sequence select="not($n/@type = 'source' or $n/@subtype = 'label' or $n/@place = 'inline'
        or tp:is-note-block($n))"/>
  </xsl:function>

  <!-- ===== headings ===== -->

  <xsl:template match="tei:div[@type = 'document']/tei:head">
    <xsl:call-template name="tp:block">
      <xsl:with-param name="name" select="'doc-head'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:head[@type = 'editorial']" priority="2">
    <xsl:call-template name="tp:block">
      <xsl:with-param name="name" select="'head-editorial'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:head">
    <xsl:call-template name="tp:block">
      <xsl:with-param name="name" select="'head-inner'"/>
    </xsl:call-template>
  </xsl:template>

  <!-- ===== opener ===== -->

  <xsl:template match="tei:opener">
    <xsl:param name="opening" as="node()*" tunnel="yes" select="()"/>
    <xsl:apply-templates select="node() except $opening"/>
  </xsl:template>

  <xsl:template match="tei:dateline">
    <xsl:variable name="date" select="tei:date[1]"/>
    <xsl:call-template name="tp:at"/>
    <xsl:text>#dateline[</xsl:text>
    <xsl:apply-templates/>
    <!-- A date printed only in the heading (or not at all) is given by the edition,
         in angle brackets, so that every document has its date at the same place. -->
    <xsl:if test="not(normalize-space(string-join(.//text()[not(ancestor::tei:seg)])))">
      <xsl:text>#edition-date(</xsl:text>
      <xsl:value-of select="tp:string(ed:date-label(($date, ed:doc-date(.))[1]))"/>
      <xsl:text>)</xsl:text>
    </xsl:if>
    <xsl:text>]&#10;</xsl:text>
  </xsl:template>

  <xsl:template match="tei:date[@cert and @cert != 'high']">
    <xsl:next-match/>
    <xsl:call-template name="draft-flag"/>
  </xsl:template>

  <xsl:template match="tei:dateline/tei:seg[@type = 'classification']" priority="2">
    <xsl:text>#cls[</xsl:text>
    <xsl:apply-templates/>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <xsl:template match="tei:seg[@type = 'classification']">
    <xsl:call-template name="tp:block">
      <xsl:with-param name="name" select="'classification'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:seg[@type = 'distribution']">
    <xsl:call-template name="tp:block">
      <xsl:with-param name="name" select="'distribution'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:salute">
    <xsl:call-template name="tp:block">
      <xsl:with-param name="name" select="if (parent::tei:closer) then 'closing-salute' else 'salute'"/>
    </xsl:call-template>
  </xsl:template>

  <!-- ===== body ===== -->

  <xsl:template match="tei:p">
    <xsl:param name="last-block" as="element()?" tunnel="yes" select="()"/>
    <xsl:param name="carrier" as="element()?" tunnel="yes" select="()"/>
    <xsl:param name="carried" as="xs:string" tunnel="yes" select="''"/>
    <xsl:call-template name="tp:at"/>
    <xsl:text>&#10;</xsl:text>
    <xsl:choose>
      <!-- see fn-par in the page design: a paragraph with footnotes is set without
           widow and orphan control, which would part the notes from their markers -->
      <xsl:when test="(.//tei:note[tp:is-footnote(.) or @subtype = 'shared'] or .//tei:app or . is $carrier)
          and not(.//tei:note[tp:is-note-block(.)])">
        <xsl:text>#fn-par(</xsl:text>
        <xsl:value-of select="tp:end-kept(tp:edge-control(., . is $carrier and $carried != ''), boolean(. is $last-block))"/>
        <xsl:text>)[</xsl:text>
        <xsl:call-template name="tp:carry"/>
        <xsl:apply-templates/>
        <xsl:call-template name="tp:end-room"/>
        <xsl:text>]</xsl:text>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="tp:carry"/>
        <xsl:apply-templates/>
        <xsl:call-template name="tp:end-room"/>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:text>&#10;&#10;</xsl:text>
    <xsl:call-template name="tp:closing-mark"/>
  </xsl:template>

  <!-- A paragraph in a note continues the note: a paragraph break inside it. -->
  <xsl:template match="tei:note//tei:p">
    <xsl:text>#parbreak()</xsl:text>
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template match="tei:list">
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template match="tei:item">
    <xsl:param name="last-block" as="element()?" tunnel="yes" select="()"/>
    <xsl:param name="carrier" as="element()?" tunnel="yes" select="()"/>
    <xsl:param name="carried" as="xs:string" tunnel="yes" select="''"/>
    <xsl:call-template name="tp:block">
      <xsl:with-param name="name" select="if (@rend = 'dash') then 'item-dash' else 'item'"/>
      <xsl:with-param name="args" select="string-join((if (.//tei:note[tp:is-note-block(.)]) then 'plain: true' else (),
          tp:end-kept(tp:edge-control(., . is $carrier and $carried != ''), boolean(. is $last-block))), ', ')"/>
    </xsl:call-template>
  </xsl:template>

  <!-- A speech: widow and orphan control as for a paragraph when it is one paragraph,
       else only where it holds no footnote marker. -->
  <xsl:template match="tei:sp">
    <xsl:param name="last-block" as="element()?" tunnel="yes" select="()"/>
    <xsl:param name="carrier" as="element()?" tunnel="yes" select="()"/>
    <xsl:param name="carried" as="xs:string" tunnel="yes" select="''"/>
    <xsl:call-template name="tp:at"/>
    <xsl:text>&#10;#sp(</xsl:text>
    <xsl:value-of select="if (count(* except tei:speaker) gt 1
        and .//(tei:note[tp:is-footnote(.) or @subtype = 'shared' or @type = 'unresolved'] | tei:app))
        then tp:end-kept('orphans: false, widows: false', boolean(. is $last-block))
        else tp:end-kept(tp:edge-control(., . is $carrier and $carried != ''), boolean(. is $last-block))"/>
    <xsl:text>)[</xsl:text>
    <xsl:apply-templates select="tei:speaker/node()"/>
    <xsl:text>][</xsl:text>
    <xsl:call-template name="tp:carry"/>
    <xsl:for-each select="* except tei:speaker">
      <xsl:if test="position() gt 1">#parbreak()</xsl:if>
      <xsl:apply-templates select="if (self::tei:p) then node() else ."/>
    </xsl:for-each>
    <xsl:call-template name="tp:end-room"/>
    <xsl:text>]&#10;&#10;</xsl:text>
    <xsl:call-template name="tp:closing-mark"/>
  </xsl:template>

  <xsl:template match="tei:closer">
    <xsl:call-template name="tp:at"/>
    <xsl:text>#closer[</xsl:text>
    <xsl:apply-templates/>
    <xsl:text>]&#10;</xsl:text>
  </xsl:template>

  <xsl:template match="tei:signed">
    <xsl:call-template name="tp:block">
      <xsl:with-param name="name" select="'signed'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:postscript">
    <xsl:call-template name="tp:at"/>
    <xsl:text>#postscript[</xsl:text>
    <xsl:apply-templates/>
    <xsl:text>]&#10;</xsl:text>
  </xsl:template>

  <xsl:template match="tei:milestone">
    <xsl:call-template name="tp:at"/>
    <xsl:text>#milestone(</xsl:text>
    <xsl:value-of select="tp:string((@rend, '* * *')[1])"/>
    <xsl:text>)&#10;</xsl:text>
  </xsl:template>

  <xsl:template match="tei:div[@type = ('main')]">
    <xsl:apply-templates/>
  </xsl:template>

  <!-- Replies and quoted documents inside a unit: set off by space, their own head. -->
  <xsl:template match="tei:div[@type = ('reply', 'related')]">
    <xsl:call-template name="tp:at"/>
    <xsl:text>#embedded-start()&#10;</xsl:text>
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template match="tei:div">
    <xsl:call-template name="tp:at"/>
    <xsl:text>#section-start()&#10;</xsl:text>
    <xsl:apply-templates/>
  </xsl:template>

  <!-- A paragraph of dots, or a gap between blocks. -->
  <xsl:template match="tei:gap[parent::tei:div]">
    <xsl:call-template name="tp:at"/>
    <xsl:text>#gap-block(</xsl:text>
    <xsl:value-of select="tp:string((@rend, '[…]')[1])"/>
    <xsl:text>)&#10;</xsl:text>
  </xsl:template>

  <!-- ===== inline ===== -->

  <xsl:template match="tei:hi[@rend = 'bold']">
    <xsl:text>#b[</xsl:text><xsl:apply-templates/><xsl:text>]</xsl:text>
  </xsl:template>

  <xsl:template match="tei:hi[@rend = 'italic']">
    <xsl:text>#i[</xsl:text><xsl:apply-templates/><xsl:text>]</xsl:text>
  </xsl:template>

  <xsl:template match="tei:hi[@rend = 'sup']">
    <xsl:text>#sup[</xsl:text><xsl:apply-templates/><xsl:text>]</xsl:text>
  </xsl:template>

  <xsl:template match="tei:supplied">
    <xsl:text>\[</xsl:text><xsl:apply-templates/><xsl:text>\]</xsl:text>
    <xsl:if test="@resp = '../edition.xml#pipeline'"><xsl:call-template name="draft-flag"/></xsl:if>
  </xsl:template>

  <xsl:template match="tei:gap">
    <xsl:text>#gap(</xsl:text>
    <xsl:value-of select="tp:string((@rend, '[…]')[1])"/>
    <xsl:text>)</xsl:text>
  </xsl:template>

  <!-- A damaged reading: the edition's reading (the printed form stays in the TEI). -->
  <xsl:template match="tei:choice[tei:sic and tei:corr]">
    <xsl:apply-templates select="tei:corr/node()"/>
    <xsl:if test="tei:corr/@resp = '../edition.xml#pipeline'"><xsl:call-template name="draft-flag"/></xsl:if>
  </xsl:template>

  <xsl:template match="tei:choice">
    <xsl:apply-templates select="(tei:corr, tei:reg, tei:expan, *)[1]/node()"/>
  </xsl:template>

  <xsl:template match="tei:lb">
    <xsl:text>#linebreak()</xsl:text>
  </xsl:template>

  <!-- Names: their text, then an index marker per register entry they point to. -->
  <xsl:template match="tei:persName | tei:placeName | tei:orgName | tei:name | tei:rs">
    <xsl:param name="in-opening" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:apply-templates/>
    <xsl:if test="not($in-opening)">
      <xsl:apply-templates select="." mode="index"/>
    </xsl:if>
  </xsl:template>

  <!-- A reference to a document of this volume (pipeline/link.py sets @target):
       the edition adds its number here. -->
  <xsl:template match="tei:ref[@target]">
    <xsl:param name="numbers" as="map(xs:string, xs:string)" tunnel="yes"/>
    <xsl:param name="register" as="map(xs:string, element())" tunnel="yes"/>
    <xsl:variable name="num" select="$numbers(ed:target-id(@target))"/>
    <xsl:variable name="series" select="tp:ref-ids(@target)[map:contains($register, .)] ! $register(.)
        [self::tei:org[@type = 'collection']]"/>
    <xsl:apply-templates/>
    <xsl:choose>
      <xsl:when test="exists($num)">
        <xsl:text>#xref(</xsl:text>
        <xsl:value-of select="tp:string($num)"/>
        <xsl:text>)</xsl:text>
      </xsl:when>
      <!-- a document of another series ("see doc. No. 264" of the printed volumes) -->
      <xsl:when test="exists($series)">
        <xsl:text>#xref-series(</xsl:text>
        <xsl:value-of select="tp:string(tp:series-name($series[1]))"/>
        <xsl:text>)</xsl:text>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- Elements that only carry their text in print. -->
  <xsl:template match="tei:date | tei:idno | tei:seg | tei:title | tei:citedRange | tei:bibl | tei:ref
      | tei:label | tei:speaker | tei:term | tei:foreign | tei:num | tei:measure | tei:q | tei:quote
      | tei:abbr | tei:expan | tei:orig | tei:reg | tei:add | tei:del | tei:unclear | tei:damage">
    <xsl:apply-templates/>
  </xsl:template>

  <!-- Anything else the contract does not name: print its text, and say so. -->
  <xsl:template match="*">
    <xsl:message select="'print: element ' || name() || ' has no print rule; its text is printed plainly ('
        || ed:doc-id(.) || ' ' || tp:where(.) || ')'"/>
    <xsl:apply-templates/>
  </xsl:template>

  <!-- In draft prints (edition build draft), converter guesses carry a flag. -->
  <xsl:template name="draft-flag">
    <xsl:text>#draft-flag()</xsl:text>
  </xsl:template>

  <!-- ===== notes ===== -->

  <xsl:template match="tei:note[@type = 'source']"/>

  <xsl:template match="tei:note[@subtype = 'label']" priority="3"/>

  <!-- A marker whose note the source lacks: the marker, and an editorial footnote that
       says so. -->
  <xsl:template match="tei:note[@type = 'unresolved']" priority="2">
    <xsl:param name="in-opening" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:call-template name="tp:missing-note">
      <xsl:with-param name="in-opening" select="$in-opening"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="tp:missing-note">
    <xsl:param name="in-opening" as="xs:boolean"/>
    <xsl:choose>
      <xsl:when test="$in-opening">
        <xsl:text>#fn-mark(</xsl:text>
        <xsl:value-of select="tp:string(tp:fn-mark(.))"/>
        <xsl:text>)</xsl:text>
      </xsl:when>
      <xsl:otherwise>
        <xsl:text>#fn-missing(</xsl:text>
        <xsl:value-of select="tp:string(tp:fn-mark(.))"/>
        <xsl:text>, </xsl:text>
        <xsl:value-of select="tp:string((@n, ed:note-marker(.), '?')[.][1])"/>
        <xsl:text>)&lt;</xsl:text>
        <xsl:value-of select="tp:note-label(.)"/>
        <xsl:text>&gt;</xsl:text>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A second marker of one note: the same sign, pointing to the note. -->
  <xsl:template match="tei:note[@subtype = 'shared']" priority="2">
    <xsl:param name="in-opening" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="target" select="ed:served-note(.)"/>
    <xsl:choose>
      <xsl:when test="not($target is .) and tp:is-footnote($target) and not($in-opening)">
        <xsl:text>#fn-again(</xsl:text>
        <xsl:value-of select="tp:string(tp:fn-mark($target))"/>
        <xsl:text>, &lt;</xsl:text>
        <xsl:value-of select="tp:note-label($target)"/>
        <xsl:text>&gt;)</xsl:text>
      </xsl:when>
      <xsl:when test="not($target is .)">
        <xsl:text>#fn-mark(</xsl:text>
        <xsl:value-of select="tp:string(tp:fn-mark($target))"/>
        <xsl:text>)</xsl:text>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="tp:missing-note">
          <xsl:with-param name="in-opening" select="$in-opening"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:note[@place = 'inline']">
    <xsl:text>#remark[</xsl:text>
    <xsl:apply-templates/>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <xsl:template match="tei:note[tp:is-note-block(.)]" priority="1.5">
    <xsl:call-template name="tp:at"/>
    <xsl:text>#note-block[</xsl:text>
    <xsl:apply-templates/>
    <xsl:text>]&#10;</xsl:text>
  </xsl:template>

  <xsl:template match="tei:note">
    <xsl:param name="in-opening" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:if test="$in-opening">
      <xsl:text>#fn-mark(</xsl:text>
      <xsl:value-of select="tp:string(tp:fn-mark(.))"/>
      <xsl:text>)</xsl:text>
    </xsl:if>
    <xsl:if test="not($in-opening)">
    <xsl:text>#fn(</xsl:text>
    <xsl:value-of select="tp:string(tp:fn-mark(.))"/>
    <xsl:text>)[</xsl:text>
    <xsl:apply-templates select="node() except tei:label[1]"/>
    <xsl:text>]&lt;</xsl:text>
    <xsl:value-of select="tp:note-label(.)"/>
    <xsl:text>&gt;</xsl:text>
    </xsl:if>
  </xsl:template>

  <!-- The label of an unanchored note is printed: it is its only marker. -->
  <xsl:template match="tei:note[tp:is-note-block(.)]/tei:label">
    <xsl:variable name="n" select="ed:note-number(..)"/>
    <xsl:text>#note-label[</xsl:text>
    <xsl:choose>
      <xsl:when test="$n gt 0"><xsl:value-of select="$n"/></xsl:when>
      <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
    </xsl:choose>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <!-- ===== the end of a document: its source notes, then the edition's source line ===== -->

  <xsl:template name="source-notes">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:param name="printings" as="map(xs:string, xs:string*)" tunnel="yes" select="map{}"/>
    <xsl:variable name="div" select="ed:document($tei)"/>
    <!-- the source notes and the source line are kept together, and with the last
         lines of the text (doc-tail in the page design) -->
    <xsl:text>#doc-tail[</xsl:text>
    <xsl:for-each select="$div//tei:note[@type = 'source']">
      <xsl:call-template name="tp:at"/>
      <xsl:text>#source-note[</xsl:text>
      <xsl:apply-templates select="node()" mode="source"/>
      <xsl:text>]&#10;</xsl:text>
    </xsl:for-each>
    <xsl:variable name="coll" select="$tei/tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:bibl[@type = 'collection'][1]"/>
    <xsl:variable name="origin" select="$coll/tei:ref[@type = 'origin']"/>
    <xsl:text>#provenance(id: </xsl:text>
    <xsl:value-of select="tp:string(ed:doc-id($tei))"/>
    <xsl:text>, collection: </xsl:text>
    <!-- a range of years with an en dash (house style, as the front matter: house_dashes) -->
    <xsl:value-of select="tp:string(replace(replace(normalize-space($coll/tei:title[1]), '(\d)-(\d)', '$1–$2'), '(\S) - (\S)', '$1 – $2'))"/>
    <xsl:text>, number: </xsl:text>
    <xsl:value-of select="tp:string(normalize-space($coll/tei:citedRange[@unit = 'document'][1]))"/>
    <xsl:text>, origin: </xsl:text>
    <xsl:value-of select="tp:string(normalize-space($origin))"/>
    <xsl:text>, printings: (</xsl:text>
    <xsl:for-each select="$printings(ed:doc-id($tei))">
      <xsl:value-of select="tp:string(.)"/>
      <xsl:text>, </xsl:text>
    </xsl:for-each>
    <xsl:text>))]&#10;</xsl:text>
  </xsl:template>

  <!-- In source notes everything is text, except damaged readings and remarks. -->
  <xsl:template match="tei:note[@place = 'inline']" mode="source">
    <xsl:apply-templates select="."/>
  </xsl:template>

  <xsl:template match="tei:choice | tei:note | tei:hi | tei:gap | tei:supplied | tei:persName | tei:placeName
      | tei:orgName[not(@type = 'archive')] | tei:name" mode="source">
    <xsl:apply-templates select="."/>
  </xsl:template>

  <!-- An archival citation in its normalised form (ed:archival-citation of the msDesc
       in the same position); the printed form stays in the TEI. -->
  <xsl:template match="tei:bibl[@type = 'archival']" mode="source">
    <xsl:variable name="all-ms" select="root(.)//tei:sourceDesc/tei:msDesc"/>
    <xsl:variable name="bibls" select="root(.)//tei:text//tei:bibl[@type = 'archival']"/>
    <xsl:variable name="i" select="index-of($bibls ! generate-id(.), generate-id(.))"/>
    <xsl:choose>
      <xsl:when test="count($bibls) = count($all-ms)">
        <xsl:value-of select="tp:text(ed:archival-citation($all-ms[$i]))"/>
        <!-- a reading the converter guessed is flagged in draft prints -->
        <xsl:if test=".//tei:corr[@resp = '../edition.xml#pipeline']"><xsl:call-template name="draft-flag"/></xsl:if>
      </xsl:when>
      <xsl:otherwise>
        <xsl:apply-templates mode="source"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The state of the document ("Copy.") after a citation whose normalised form gives it
       already, "(copy)", is not printed a second time, nor the stop between them. -->
  <xsl:function name="tp:state-in-citation" as="xs:boolean">
    <xsl:param name="seg" as="element(tei:seg)"/>
    <xsl:variable name="bibl" select="$seg/preceding-sibling::tei:bibl[@type = 'archival'][1]"/>
    <xsl:variable name="all-ms" select="root($seg)//tei:sourceDesc/tei:msDesc"/>
    <xsl:variable name="bibls" select="root($seg)//tei:text//tei:bibl[@type = 'archival']"/>
    <xsl:variable name="i" select="if ($bibl) then index-of($bibls ! generate-id(.), generate-id($bibl)) else ()"/>
    <!-- only where the seg says no more than the state: "Copy", not "Copy, certified" -->
    <xsl:sequence select="exists($i) and count($bibls) = count($all-ms)
        and string($all-ms[$i[1]]/tei:physDesc/tei:objectDesc/@form) = string($seg/@subtype)
        and lower-case(normalize-space($seg)) = replace(string($seg/@subtype), '-', ' ')"/>
  </xsl:function>

  <xsl:template match="tei:seg[@type = 'state'][tp:state-in-citation(.)]" mode="source"/>

  <xsl:template match="*" mode="source">
    <xsl:apply-templates mode="source"/>
  </xsl:template>

  <xsl:template match="text()" mode="source">
    <xsl:variable name="before" select="following-sibling::node()[1][self::tei:seg[@type = 'state']]"/>
    <xsl:value-of select="tp:text(if ($before and tp:state-in-citation($before)) then replace(., '[.;,]\s*$|\s+$', '') else .)"/>
  </xsl:template>

  <!-- ===== index markers ===== -->

  <!-- With registers: one marker per register entry the name points to. Without
       registers (not yet built): correspondents and dateline places by their printed
       names, so that the index shows what the TEI has. -->
  <xsl:template match="*" mode="index">
    <xsl:param name="register" as="map(xs:string, element())" tunnel="yes"/>
    <xsl:variable name="ids" select="tp:ref-ids(@ref)[map:contains($register, .)]"/>
    <xsl:choose>
      <xsl:when test="exists($ids)">
        <xsl:for-each select="$ids">
          <xsl:text>#ix(</xsl:text>
          <xsl:value-of select="tp:string(.)"/>
          <xsl:text>)</xsl:text>
        </xsl:for-each>
      </xsl:when>
      <xsl:when test="map:size($register) = 0 and normalize-space()
          and (self::tei:placeName[ancestor::tei:dateline] or ancestor::tei:correspDesc[not(current()/self::tei:placeName)])">
        <xsl:text>#ix(</xsl:text>
        <xsl:value-of select="tp:string((if (self::tei:placeName[ancestor::tei:dateline]) then 'place:' else 'person:') || lower-case(normalize-space()))"/>
        <xsl:text>)</xsl:text>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>

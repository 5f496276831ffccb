<?xml version="1.0" encoding="UTF-8"?>
<!--
  The edition's shared XSLT 3.0 function library. Output-neutral: every function
  returns strings, numbers or TEI nodes, never HTML or Typst markup, so that both the
  HTML stylesheets (xslt/html/) and the print stylesheets (xslt/typst/) can
  xsl:import it and format the results their own way.

  Namespace of the functions: ed = "https://edition-pipeline.example/ns/edition".
  The TEI read here is the converter's contract, docs/encoding.md.

  Functions (all take TEI nodes from a document file unless said otherwise):
    ed:document($node)               the outermost div[@type='document'] of the file
    ed:doc-id($node)                 the document id (div/@xml:id, else publicationStmt/idno)
    ed:source-id($node)              the source id ("ssd") from the document id
    ed:doc-number($node)             the printed number (div/@n) or ''
    ed:doc-label($node)              "No. 562" or the id for unnumbered documents
    ed:doc-short-label($node)        "No. 562", else "Telegram of 6 March 1939" (type and date)
    ed:doc-type($node)               the document kind (div/@subtype) or ''
    ed:doc-title($node)              the heading as plain text (titleStmt/title)
    ed:display-title($node)          the heading regularised for lists and titles: a leading
                                     "From:" becomes "From the", a date repeated at the end
                                     is dropped, the first letter capitalised (the TEI keeps
                                     the heading as printed)
    ed:doc-date($node)               the dateline's date element (or empty)
    ed:date-iso($date)               sortable ISO string of a TEI date ('' if undated)
    ed:date-label($date)             the date in words: "18 June 1937", "June 1937",
                                     "3–5 May 1921", "before 1 May 1920", "undated"
    ed:format-iso($iso)              "1937-06-18" → "18 June 1937" (also yyyy-mm, yyyy)
    ed:month-name($n)                1 → "January"
    ed:doc-place($node)              the place of the dateline as printed, or ''
    ed:place-of-writing($node)       the place a document was written: the placeName of its
                                     dateline (opener first, then closer), else of its header's
                                     correspAction[@type='sent'], else the dateline's words
                                     before its date when they name a place ("Ankara, "), or ''
    ed:place-of-writing-name($node)  that placeName element (dateline, then correspAction)
    ed:place-of-writing-ref($node)   that placeName's register id ("pl_moscow"), or ''
    ed:sender($node) / ed:addressee($node)   correspDesc names joined by "; " or ''
    ed:hand-name($resp, $edition)    "../edition.xml#compilers-ssd" → "the compilers
                                     (Svitlana M, Erdogan A)"; $edition is tei/edition.xml
    ed:hand-phrase($id, $names)      the same from the hand's id and its names
    ed:hand-key($resp)               "../edition.xml#compilers-ssd" → "compilers"
    ed:footnotes($node)              the foot notes that carry a text (not shared markers), document order
    ed:note-markers($node)           every foot-note marker (notes and shared markers), document order
    ed:served-note($note)            the note whose text a (shared) marker points to
    ed:footnote-order($node)         the foot notes in the order of their first marker: numbering order
    ed:note-number($note)            the footnote's number (1, 2, …) by ed:footnote-order; for a
                                     shared marker, the number of the note it points to
    ed:note-marker($note)            the printed marker: @n, else the label without brackets
    ed:witnesses($node)              notesStmt/relatedItem[@type='witness'] targets as ids
    ed:target-id($uri)               "../ssd/ssd-19210316.xml#x" → "ssd-19210316"
    ed:archival-citation($msDesc)    "AVP RF, f. 04, op. 39, p. 232, d. 52987, l. 12–14 (copy)"
    ed:note-sign($note)              the printed sign of a note marker, web and print: "3"
    ed:idno($msDesc, $type)          normalised idno value of one kind ('' if absent)
    ed:classifications($node)        the dateline's/opener's classification seg strings
    ed:plain($nodes)                 normalised text of nodes, notes left out
    ed:slug($s)                      a safe file/fragment name from any string
    ed:capitalise($s)                first letter upper-case
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition-pipeline.example/ns/edition"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    exclude-result-prefixes="#all">

  <!-- ===== the document ===== -->

  <xsl:function name="ed:document" as="element(tei:div)?">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="ed:document-in(root($node))"/>
  </xsl:function>

  <!-- once per file (cache="yes"): asked for every note, the search would be quadratic -->
  <xsl:function name="ed:document-in" as="element(tei:div)?" cache="yes">
    <xsl:param name="root" as="node()"/>
    <xsl:sequence select="($root//tei:body//tei:div[@type = 'document'])[1]"/>
  </xsl:function>

  <xsl:function name="ed:doc-id" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:variable name="div" select="ed:document($node)"/>
    <xsl:sequence select="string(($div/@xml:id,
        root($node)//tei:publicationStmt/tei:idno[@type = 'document'], '')[1])"/>
  </xsl:function>

  <xsl:function name="ed:source-id" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="substring-before(ed:doc-id($node), '-')"/>
  </xsl:function>

  <xsl:function name="ed:doc-number" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="string(ed:document($node)/@n)"/>
  </xsl:function>

  <xsl:function name="ed:doc-label" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:variable name="n" select="ed:doc-number($node)"/>
    <xsl:sequence select="if ($n) then 'No. ' || $n else ed:doc-id($node)"/>
  </xsl:function>

  <xsl:function name="ed:doc-short-label" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:variable name="type" select="ed:doc-type($node)"/>
    <xsl:variable name="date" select="ed:doc-date($node)"/>
    <xsl:sequence select="
        if (ed:doc-number($node)) then ed:doc-label($node)
        else if ($type and $date and ed:date-label($date) != 'undated') then ed:capitalise($type) || ' of ' || ed:date-label($date)
        else if ($type) then ed:capitalise($type) || ' (' || ed:date-label($date) || ')'
        else if ($date) then 'Document of ' || ed:date-label($date)
        else ed:doc-id($node)"/>
  </xsl:function>

  <xsl:function name="ed:doc-type" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="string(ed:document($node)/@subtype)"/>
  </xsl:function>

  <xsl:function name="ed:doc-title" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:variable name="t" select="root($node)//tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title[1]"/>
    <xsl:sequence select="if (normalize-space($t)) then normalize-space($t)
        else ed:plain(ed:document($node)/tei:head[1])"/>
  </xsl:function>

  <xsl:function name="ed:display-title" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:variable name="t" select="ed:doc-title($node)"/>
    <xsl:variable name="months" select="'(January|February|March|April|May|June|July|August|September|October|November|December)'"/>
    <xsl:variable name="a" select="replace($t, '^(From|Extract from|Excerpt from)\s*:\s*(the\s+)?', '$1 the ', 'i')"/>
    <xsl:variable name="b" select="replace($a, '[.,]?\s+' || $months || '\s+\d{1,2},?\s+\d{4}\.?$', '')"/>
    <xsl:variable name="c" select="replace($b, '[.,]?\s+\d{1,2}\s+' || $months || '\s+\d{4}\.?$', '')"/>
    <xsl:sequence select="if (normalize-space($c)) then ed:capitalise(normalize-space($c)) else $t"/>
  </xsl:function>

  <xsl:function name="ed:doc-date" as="element(tei:date)?">
    <xsl:param name="node" as="node()"/>
    <xsl:variable name="div" select="ed:document($node)"/>
    <xsl:sequence select="(($div/tei:opener, $div/tei:div[@type = 'main']/tei:opener)/tei:dateline/tei:date,
        root($node)//tei:correspDesc//tei:date)[1]"/>
  </xsl:function>

  <xsl:function name="ed:doc-place" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:variable name="div" select="ed:document($node)"/>
    <xsl:sequence select="normalize-space(string((($div/tei:opener, $div/tei:div[@type = 'main']/tei:opener)
        /tei:dateline/tei:placeName)[1]))"/>
  </xsl:function>

  <!-- the place the document names as where it was written: its dateline's (opener, then
       closer), else the place of sending of its header (correspAction, from the heading) -->
  <xsl:function name="ed:place-of-writing-name" as="element()?">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="(ed:document($node)//tei:dateline[not(ancestor::tei:div[@type = ('reply', 'related')])]/tei:placeName,
        root($node)//tei:teiHeader//tei:correspAction[@type = 'sent']/tei:placeName)[1]"/>
  </xsl:function>

  <xsl:function name="ed:place-of-writing" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:variable name="datelines" select="ed:document($node)//tei:dateline[not(ancestor::tei:div[@type = ('reply', 'related')])]"/>
    <xsl:variable name="named" select="ed:place-of-writing-name($node)"/>
    <xsl:variable name="before" select="($datelines/tei:date[1]/preceding-sibling::node()
        [not(self::tei:seg[@type = 'classification'])] ! string(.)) => string-join('')
        => normalize-space() => replace('^.*[.:;]\s*', '') => replace('[,\s]+$', '')"/>
    <xsl:sequence select="if ($named) then normalize-space($named)
        else if (matches($before, '^\p{Lu}[\p{L}\-]+( \p{Lu}[\p{L}\-]+)?$')) then $before
        else ''"/>
  </xsl:function>

  <xsl:function name="ed:place-of-writing-ref" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:variable name="named" select="ed:place-of-writing-name($node)"/>
    <xsl:sequence select="substring-after(tokenize(normalize-space($named/@ref), ' ')[1], '#')"/>
  </xsl:function>

  <!-- ===== dates ===== -->

  <xsl:function name="ed:month-name" as="xs:string">
    <xsl:param name="n" as="xs:integer"/>
    <xsl:sequence select="('January', 'February', 'March', 'April', 'May', 'June', 'July',
        'August', 'September', 'October', 'November', 'December')[$n]"/>
  </xsl:function>

  <!-- ISO (yyyy, yyyy-mm, yyyy-mm-dd, optionally with a time) to words. -->
  <xsl:function name="ed:format-iso" as="xs:string">
    <xsl:param name="iso" as="xs:string?"/>
    <xsl:variable name="d" select="substring(normalize-space($iso), 1, 10)"/>
    <xsl:variable name="p" select="tokenize($d, '-')"/>
    <xsl:sequence select="
        if (count($p) ge 3 and $p[3] castable as xs:integer and $p[2] castable as xs:integer)
          then string(xs:integer($p[3])) || ' ' || ed:month-name(xs:integer($p[2])) || ' ' || $p[1]
        else if (count($p) eq 2 and $p[2] castable as xs:integer)
          then ed:month-name(xs:integer($p[2])) || ' ' || $p[1]
        else string($d)"/>
  </xsl:function>

  <xsl:function name="ed:date-iso" as="xs:string">
    <xsl:param name="date" as="element()?"/>
    <xsl:sequence select="string(($date/@when, $date/@from, $date/@notBefore, $date/@notAfter, $date/@to, '')[1])"/>
  </xsl:function>

  <xsl:function name="ed:date-label" as="xs:string">
    <xsl:param name="date" as="element()?"/>
    <xsl:sequence select="
        if (empty($date) or $date/@type = 'undated') then 'undated'
        else if ($date/@when) then ed:format-iso($date/@when)
        else if ($date/@from and $date/@to) then ed:range($date/@from, $date/@to)
        else if ($date/@notBefore and $date/@notAfter) then 'between ' || ed:format-iso($date/@notBefore)
             || ' and ' || ed:format-iso($date/@notAfter)
        else if ($date/@notAfter) then 'before ' || ed:format-iso($date/@notAfter)
        else if ($date/@notBefore) then 'after ' || ed:format-iso($date/@notBefore)
        else if ($date/@from) then 'from ' || ed:format-iso($date/@from)
        else if (normalize-space($date)) then normalize-space($date)
        else 'undated'"/>
  </xsl:function>

  <!-- "3–5 May 1921", "30 April – 2 May 1921", else both dates in full. -->
  <xsl:function name="ed:range" as="xs:string">
    <xsl:param name="from" as="xs:string"/>
    <xsl:param name="to" as="xs:string"/>
    <xsl:variable name="a" select="tokenize(substring($from, 1, 10), '-')"/>
    <xsl:variable name="b" select="tokenize(substring($to, 1, 10), '-')"/>
    <xsl:sequence select="
        if (count($a) eq 3 and count($b) eq 3 and $a[1] eq $b[1] and $a[2] eq $b[2])
          then string(xs:integer($a[3])) || '–' || ed:format-iso($to)
        else if (count($a) eq 3 and count($b) eq 3 and $a[1] eq $b[1])
          then string(xs:integer($a[3])) || ' ' || ed:month-name(xs:integer($a[2])) || ' – ' || ed:format-iso($to)
        else ed:format-iso($from) || ' – ' || ed:format-iso($to)"/>
  </xsl:function>

  <!-- ===== correspondents ===== -->

  <xsl:function name="ed:sender" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="string-join(root($node)//tei:correspDesc/tei:correspAction[@type = 'sent']
        /(tei:name | tei:persName | tei:orgName)/normalize-space(), '; ')"/>
  </xsl:function>

  <xsl:function name="ed:addressee" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="string-join(root($node)//tei:correspDesc/tei:correspAction[@type = 'received']
        /(tei:name | tei:persName | tei:orgName)/normalize-space(), '; ')"/>
  </xsl:function>

  <!-- ===== hands (@resp) ===== -->

  <xsl:function name="ed:hand-key" as="xs:string">
    <xsl:param name="resp" as="xs:string?"/>
    <xsl:variable name="id" select="substring-after(string($resp), '#')"/>
    <xsl:sequence select="if (starts-with($id, 'compilers')) then 'compilers'
        else if ($id) then $id else 'unknown'"/>
  </xsl:function>

  <xsl:function name="ed:hand-name" as="xs:string">
    <xsl:param name="resp" as="xs:string?"/>
    <xsl:param name="edition" as="document-node()?"/>
    <xsl:variable name="id" select="substring-after(string($resp), '#')"/>
    <xsl:sequence select="ed:hand-phrase($id, string-join($edition//tei:respStmt[@xml:id = $id]/tei:name/normalize-space(), ', '))"/>
  </xsl:function>

  <!-- The same from the hand's id and its names ("Svitlana M, Erdogan A"), for callers
       that have the names already (the HTML pages get them from Python as a map). -->
  <xsl:function name="ed:hand-phrase" as="xs:string">
    <xsl:param name="id" as="xs:string"/>
    <xsl:param name="names" as="xs:string?"/>
    <xsl:sequence select="
        if ($id = 'editors') then 'the editors of this edition'
        else if ($id = 'pipeline') then 'the conversion program (a guess to be checked)'
        else if (starts-with($id, 'compilers')) then
          (if ($names) then 'the compilers (' || $names || ')' else 'the compilers of the source')
        else if ($names) then $names
        else if ($id) then $id else 'unknown hand'"/>
  </xsl:function>

  <!-- ===== notes ===== -->

  <!-- The lists below are computed once per document (cache="yes", keyed by the root
       node) and the numbers looked up in a map: asked once per note, anything else would
       make a document of many thousands of notes quadratic. -->
  <xsl:function name="ed:footnotes" as="element(tei:note)*">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="ed:footnotes-in(root($node))"/>
  </xsl:function>

  <xsl:function name="ed:footnotes-in" as="element(tei:note)*" cache="yes">
    <xsl:param name="root" as="node()"/>
    <xsl:sequence select="$root//tei:text//tei:note[@place = 'foot'
        or (not(@place) and not(@type = ('source', 'editorial')))][not(@subtype = 'shared')]
        [not(ancestor::tei:note)]"/>
  </xsl:function>

  <xsl:function name="ed:footnotes-by-marker" as="map(xs:string, element(tei:note)*)" cache="yes">
    <xsl:param name="root" as="node()"/>
    <xsl:sequence select="map:merge(ed:footnotes-in($root) ! map:entry(string(@n), .), map{'duplicates': 'combine'})"/>
  </xsl:function>

  <!-- The note that carries the text for a marker: the note itself, or for a second
       marker served by one note (@subtype='shared', an empty note) the nearest note with
       the same printed marker, the following one first. -->
  <xsl:function name="ed:served-note" as="element(tei:note)">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:sequence select="if (not($note/@subtype = 'shared')) then $note
        else let $same := if ($note/@n) then ed:footnotes-by-marker(root($note))(string($note/@n)) else ()
        return (($same[. >> $note])[1], ($same[. &lt;&lt; $note])[last()], $note)[1]"/>
  </xsl:function>

  <!-- Every marker of a foot note in reading order: the notes and the shared markers. -->
  <xsl:function name="ed:note-markers" as="element(tei:note)*">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="ed:note-markers-in(root($node))"/>
  </xsl:function>

  <xsl:function name="ed:note-markers-in" as="element(tei:note)*" cache="yes">
    <xsl:param name="root" as="node()"/>
    <xsl:sequence select="$root//tei:text//tei:note[@place = 'foot'
        or (not(@place) and not(@type = ('source', 'editorial')))][not(ancestor::tei:note)]"/>
  </xsl:function>

  <!-- Whether a note is one of ed:note-markers (asked per note, without the list). -->
  <xsl:function name="ed:is-note-marker" as="xs:boolean">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:sequence select="($note/@place = 'foot' or (not($note/@place) and not($note/@type = ('source', 'editorial'))))
        and empty($note/ancestor::tei:note) and exists($note/ancestor::tei:text)"/>
  </xsl:function>

  <!-- The anchored markers (ed:note-markers without the unanchored) that a note serves, in
       reading order, from a map made once per document. -->
  <xsl:function name="ed:markers-of" as="element(tei:note)*">
    <xsl:param name="served" as="element(tei:note)"/>
    <xsl:sequence select="ed:markers-by-served(root($served))(generate-id($served))"/>
  </xsl:function>

  <xsl:function name="ed:markers-by-served" as="map(xs:string, element(tei:note)*)" cache="yes">
    <xsl:param name="root" as="node()"/>
    <xsl:sequence select="map:merge(ed:note-markers-in($root)[not(@subtype = 'unanchored')]
        ! map:entry(generate-id(ed:served-note(.)), .), map{'duplicates': 'combine'})"/>
  </xsl:function>

  <!-- The foot notes in the order of their first marker in the text: the order in which
       they are numbered. (A note served by a shared marker may be printed after a later
       note; the reader meets its number first.) -->
  <xsl:function name="ed:footnote-order" as="element(tei:note)*">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="ed:footnote-order-in(root($node))"/>
  </xsl:function>

  <xsl:function name="ed:footnote-order-in" as="element(tei:note)*" cache="yes">
    <xsl:param name="root" as="node()"/>
    <xsl:for-each-group select="ed:note-markers-in($root) ! ed:served-note(.)" group-by="generate-id(.)">
      <xsl:sequence select="current-group()[1]"/>
    </xsl:for-each-group>
  </xsl:function>

  <xsl:function name="ed:footnote-numbers" as="map(xs:string, xs:integer)" cache="yes">
    <xsl:param name="root" as="node()"/>
    <xsl:variable name="order" select="ed:footnote-order-in($root)"/>
    <xsl:sequence select="map:merge(for $i in 1 to count($order) return map:entry(generate-id($order[$i]), $i))"/>
  </xsl:function>

  <xsl:function name="ed:note-number" as="xs:integer">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:sequence select="(ed:footnote-numbers(root($note))(generate-id(ed:served-note($note))), 0)[1]"/>
  </xsl:function>

  <!-- The position of a node among all the nodes of its document (1, 2, … in document
       order), from a map made once per document: counting the preceding nodes for each
       node asked about would be quadratic. -->
  <xsl:function name="ed:node-position" as="xs:integer">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="ed:node-positions(root($node))(generate-id($node))"/>
  </xsl:function>

  <xsl:function name="ed:node-positions" as="map(xs:string, xs:integer)" cache="yes">
    <xsl:param name="root" as="node()"/>
    <xsl:variable name="nodes" select="$root/descendant::node()"/>
    <xsl:sequence select="map:merge(for-each-pair($nodes, 1 to count($nodes),
        function($n, $i) { map:entry(generate-id($n), $i) }))"/>
  </xsl:function>

  <!-- The sign of a note marker as the edition prints it, on the web and in print alike:
       the number of the note it serves (ed:note-number: 1, 2, … per document in the order
       of the first markers), whatever the source printed ("*", "129"). -->
  <xsl:function name="ed:note-sign" as="xs:string">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:sequence select="string(ed:note-number($note))"/>
  </xsl:function>

  <xsl:function name="ed:note-marker" as="xs:string">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:sequence select="if ($note/@n) then string($note/@n)
        else replace(normalize-space($note/tei:label[1]), '^\[(.*)\]$', '$1')"/>
  </xsl:function>

  <!-- ===== other witnesses, links ===== -->

  <xsl:function name="ed:target-id" as="xs:string">
    <xsl:param name="uri" as="xs:string?"/>
    <xsl:variable name="file" select="tokenize(substring-before(string($uri) || '#', '#'), '/')[last()]"/>
    <xsl:sequence select="if (ends-with($file, '.xml')) then substring($file, 1, string-length($file) - 4)
        else if (contains(string($uri), '#')) then substring-after(string($uri), '#')
        else string($file)"/>
  </xsl:function>

  <xsl:function name="ed:witnesses" as="xs:string*">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="distinct-values(root($node)//tei:notesStmt/tei:relatedItem[@type = 'witness']
        /@target ! tokenize(., '\s+') ! ed:target-id(.))"/>
  </xsl:function>

  <!-- ===== archival citations ===== -->

  <xsl:function name="ed:idno" as="xs:string">
    <xsl:param name="ms" as="element(tei:msDesc)"/>
    <xsl:param name="type" as="xs:string"/>
    <xsl:sequence select="normalize-space(string($ms/tei:msIdentifier/tei:idno[@type = $type][1]))"/>
  </xsl:function>

  <xsl:function name="ed:archival-citation" as="xs:string">
    <xsl:param name="ms" as="element(tei:msDesc)"/>
    <xsl:variable name="parts" select="(
        normalize-space($ms/tei:msIdentifier/tei:repository),
        for $i in $ms/tei:msIdentifier/tei:idno[normalize-space()] return
          string-join((ed:idno-abbrev(string($i/@type)), normalize-space($i))[. != ''], ' '),
        for $l in $ms/tei:msContents/tei:msItem/tei:locus return ed:locus($l))[. != '']"/>
    <xsl:variable name="form" select="string($ms/tei:physDesc/tei:objectDesc/@form)"/>
    <xsl:sequence select="string-join($parts, ', ') || (if ($form) then ' (' || replace($form, '-', ' ') || ')' else '')"/>
  </xsl:function>

  <xsl:function name="ed:idno-abbrev" as="xs:string">
    <xsl:param name="type" as="xs:string"/>
    <xsl:sequence select="(map{'fond': 'f.', 'opis': 'op.', 'papka': 'p.', 'delo': 'd.', 'record-group': 'RG'}($type), '')[1]"/>
  </xsl:function>

  <xsl:function name="ed:locus" as="xs:string">
    <xsl:param name="l" as="element(tei:locus)"/>
    <xsl:sequence select="
        if ($l/@from and $l/@to and $l/@from != $l/@to) then 'l. ' || $l/@from || '–' || $l/@to
        else if ($l/@from) then 'l. ' || $l/@from
        else normalize-space($l)"/>
  </xsl:function>

  <!-- ===== classification ===== -->

  <xsl:function name="ed:classifications" as="xs:string*">
    <xsl:param name="node" as="node()"/>
    <xsl:variable name="div" select="ed:document($node)"/>
    <xsl:sequence select="($div/tei:opener, $div/tei:div[@type = 'main']/tei:opener)
        //tei:seg[@type = 'classification']/normalize-space()"/>
  </xsl:function>

  <!-- ===== strings ===== -->

  <xsl:function name="ed:plain" as="xs:string">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:sequence select="normalize-space(string-join($nodes//text()[not(ancestor::tei:note)]
        [not(ancestor::tei:sic[parent::tei:choice])][not(ancestor::tei:orig[parent::tei:choice])]
        [not(ancestor::tei:abbr[parent::tei:choice])], ''))"/>
  </xsl:function>

  <xsl:function name="ed:slug" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <xsl:variable name="a" select="lower-case(normalize-unicode(string($s), 'NFKD'))"/>
    <xsl:variable name="b" select="replace(replace($a, '\p{M}', ''), '[^a-z0-9]+', '-')"/>
    <xsl:sequence select="let $c := replace($b, '^-+|-+$', '') return if ($c) then $c else 'x'"/>
  </xsl:function>

  <xsl:function name="ed:capitalise" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <xsl:sequence select="upper-case(substring(string($s), 1, 1)) || substring(string($s), 2)"/>
  </xsl:function>

</xsl:stylesheet>

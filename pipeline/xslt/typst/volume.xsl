<?xml version="1.0" encoding="UTF-8"?>
<!--
  The print volume as Typst: entry stylesheet of the PDF stage (pipeline/pdf.py).

  Applied to tei/edition.xml. Parameters:
    documents   the document files of the volume, one absolute URI a line, in print
                order (pipeline/pdf.py orders them by collection, then source line)
    registers   URI of tei/registers.xml, or '' while it does not exist
    numbers     "id number" a line: the documents' numbers in the whole edition (also
                of documents printed in another volume, or printed once from another
                source); '' numbers the documents of this volume 1, 2, …
    parts       "id key" a line: the part of each document (a year, or a source id for
                an arrangement by collection); '' groups by source
    printings   "id<TAB>collection, No. n" a line: the other printings of a document

  Output: Typst code in two sections, separated by the line "// ==== body ====":
    data   #let documents / archives / index-entries / concordance: arrays of string
           literals that the page template (pipeline/print/edition.typ) sets as the
           list of documents, the abbreviations, the indexes and the concordance;
           has-variants: whether a document has an apparatus (apparatus.xsl)
    body   one #part(…) per collection, then its documents (document.xsl)
  The page numbers of lists and indexes are looked up by Typst at layout time.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition-pipeline.example/ns/edition"
    xmlns:tp="https://edition-pipeline.example/ns/typst"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xmlns:err="http://www.w3.org/2005/xqt-errors"
    exclude-result-prefixes="#all">

  <xsl:import href="../lib/edition.xsl"/>
  <xsl:include href="escape.xsl"/>
  <xsl:include href="document.xsl"/>
  <xsl:include href="apparatus.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:param name="documents" as="xs:string" select="''"/>
  <xsl:param name="registers" as="xs:string" select="''"/>
  <xsl:param name="numbers" as="xs:string" select="''"/>
  <xsl:param name="parts" as="xs:string" select="''"/>
  <xsl:param name="printings" as="xs:string" select="''"/>

  <xsl:variable name="edition" select="/"/>
  <xsl:variable name="uris" select="tokenize($documents, '\n')[normalize-space()] ! normalize-space()"/>
  <xsl:variable name="docs" as="document-node()*" select="$uris ! doc(.)"/>

  <!-- Register entries (persons, places, organisations) by id: from tei/registers.xml
       and from any lists in the edition file (archives may be registered there). -->
  <xsl:variable name="register-docs" select="(if ($registers) then doc($registers) else (), $edition)"/>
  <xsl:variable name="register" as="map(xs:string, element())">
    <xsl:map>
      <xsl:for-each-group select="$register-docs//(tei:person | tei:personGrp | tei:place | tei:org)[@xml:id]"
          group-by="string(@xml:id)">
        <xsl:map-entry key="current-grouping-key()" select="current-group()[1]"/>
      </xsl:for-each-group>
    </xsl:map>
  </xsl:variable>
  <!-- Names in the text only point to persons and places once registers.xml exists;
       until then the index is built from the printed names (see document.xsl). -->
  <xsl:variable name="index-register" as="map(xs:string, element())"
      select="if ($registers) then $register else map{}"/>

  <xsl:variable name="numbers-map" as="map(xs:string, xs:string)">
    <xsl:map>
      <xsl:choose>
        <xsl:when test="normalize-space($numbers)">
          <xsl:for-each select="tokenize($numbers, '\n')[normalize-space()]">
            <xsl:map-entry key="substring-before(., ' ')" select="substring-after(., ' ')"/>
          </xsl:for-each>
        </xsl:when>
        <xsl:otherwise>
          <xsl:for-each select="$docs">
            <xsl:map-entry key="ed:doc-id(.)" select="string(position())"/>
          </xsl:for-each>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:map>
  </xsl:variable>
  <xsl:variable name="part-map" as="map(xs:string, xs:string)">
    <xsl:map>
      <xsl:for-each select="tokenize($parts, '\n')[normalize-space()]">
        <xsl:map-entry key="substring-before(., ' ')" select="substring-after(., ' ')"/>
      </xsl:for-each>
    </xsl:map>
  </xsl:variable>
  <xsl:variable name="printings-map" as="map(xs:string, xs:string*)">
    <xsl:map>
      <xsl:for-each-group select="tokenize($printings, '\n')[normalize-space()]" group-by="substring-before(., '&#9;')">
        <xsl:map-entry key="current-grouping-key()" select="current-group() ! substring-after(., '&#9;')"/>
      </xsl:for-each-group>
    </xsl:map>
  </xsl:variable>

  <!-- The part a document belongs to: a year (chronological arrangement) or its source. -->
  <xsl:function name="tp:part" as="xs:string">
    <xsl:param name="doc" as="document-node()"/>
    <xsl:sequence select="($part-map(ed:doc-id($doc)), ed:source-id($doc))[1]"/>
  </xsl:function>

  <xsl:template match="/">
    <xsl:text>// Generated by xslt/typst/volume.xsl from the TEI of the edition. Do not edit.&#10;</xsl:text>
    <xsl:call-template name="data"/>
    <xsl:text>&#10;// ==== body ====&#10;</xsl:text>
    <xsl:for-each-group select="$docs" group-adjacent="tp:part(.)">
      <xsl:variable name="sid" select="current-grouping-key()"/>
      <xsl:text>&#10;#part(id: </xsl:text>
      <xsl:value-of select="tp:string($sid)"/>
      <xsl:text>, title: </xsl:text>
      <xsl:value-of select="tp:string(tp:part-title($sid))"/>
      <xsl:text>)&#10;</xsl:text>
      <xsl:for-each select="current-group()">
        <xsl:variable name="doc" select="."/>
        <xsl:try>
          <xsl:apply-templates select="$doc/tei:TEI" mode="document">
            <xsl:with-param name="num" select="$numbers-map(ed:doc-id($doc))"/>
            <xsl:with-param name="numbers" select="$numbers-map" tunnel="yes"/>
            <xsl:with-param name="printings" select="$printings-map" tunnel="yes"/>
            <xsl:with-param name="register" select="$index-register" tunnel="yes"/>
          </xsl:apply-templates>
          <xsl:catch>
            <!-- error(), not xsl:message: its text reaches the EditionError. -->
            <xsl:sequence select="error(QName('https://edition-pipeline.example/ns/typst', 'tp:document'),
                'in ' || document-uri($doc) || ': ' || $err:description)"/>
          </xsl:catch>
        </xsl:try>
      </xsl:for-each>
    </xsl:for-each-group>
  </xsl:template>

  <!-- ===== data for the lists of the front and back matter ===== -->

  <xsl:template name="data">
    <!-- the list of documents -->
    <xsl:text>#let documents = (&#10;</xsl:text>
    <xsl:for-each select="$docs">
      <xsl:text>  (id: </xsl:text>
      <xsl:value-of select="tp:string(ed:doc-id(.))"/>
      <xsl:text>, num: </xsl:text>
      <xsl:value-of select="tp:string($numbers-map(ed:doc-id(.)))"/>
      <xsl:text>, part: </xsl:text>
      <xsl:value-of select="tp:string(tp:part(.))"/>
      <xsl:text>, part-title: </xsl:text>
      <xsl:value-of select="tp:string(tp:part-title(tp:part(.)))"/>
      <xsl:text>, date: </xsl:text>
      <xsl:value-of select="tp:string(ed:date-label(ed:doc-date(.)))"/>
      <xsl:text>, date-text: </xsl:text>
      <xsl:value-of select="tp:string(ed:capitalise(ed:date-label(ed:doc-date(.))))"/>
      <xsl:text>, title: </xsl:text>
      <xsl:value-of select="tp:string(ed:doc-title(.))"/>
      <!-- for the index's subentries: the year (the part of a chronological
           arrangement, else the document's date) and the register entries of its
           senders and addressees -->
      <xsl:variable name="date" select="ed:doc-date(.)"/>
      <xsl:text>, year: </xsl:text>
      <xsl:value-of select="tp:string(if (matches(tp:part(.), '^\d{4}$')) then tp:part(.)
          else substring(($date/(@when, @from, @notBefore, @to, @notAfter))[1], 1, 4))"/>
      <xsl:text>, from: </xsl:text>
      <xsl:value-of select="tp:strings(distinct-values(.//tei:correspDesc/tei:correspAction[@type = 'sent']
          /(tei:persName | tei:orgName | tei:name)/@ref ! tp:ref-ids(.)))"/>
      <xsl:text>, to: </xsl:text>
      <xsl:value-of select="tp:strings(distinct-values(.//tei:correspDesc/tei:correspAction[@type = 'received']
          /(tei:persName | tei:orgName | tei:name)/@ref ! tp:ref-ids(.)))"/>
      <xsl:text>),&#10;</xsl:text>
    </xsl:for-each>
    <xsl:text>)&#10;</xsl:text>

    <!-- the archives cited: abbreviation, register id, full name from the register -->
    <xsl:text>#let archives = (&#10;</xsl:text>
    <xsl:for-each-group select="$docs//tei:msDesc/tei:msIdentifier/tei:repository[normalize-space()]"
        group-by="normalize-space()">
      <xsl:sort select="tp:sort-key(current-grouping-key())"/>
      <xsl:variable name="id" select="(current-group()/@ref ! substring-after(., '#'))[.][1]"/>
      <xsl:variable name="org" select="if ($id) then $register($id) else ()"/>
      <!-- the register's preferred name (else its longest), without "(AVP RF)" -->
      <xsl:variable name="named" select="($org/tei:orgName[@type = 'preferred'] ! normalize-space(),
          sort($org/tei:orgName ! normalize-space(), (), function($s) { -string-length($s) }))[1]"/>
      <xsl:variable name="suffix" select="' (' || current-grouping-key() || ')'"/>
      <xsl:variable name="full" select="if (ends-with($named, $suffix))
          then substring($named, 1, string-length($named) - string-length($suffix)) else $named"/>
      <xsl:text>  (abbr: </xsl:text>
      <xsl:value-of select="tp:string(current-grouping-key())"/>
      <xsl:text>, id: </xsl:text>
      <xsl:value-of select="tp:string($id)"/>
      <xsl:text>, name: </xsl:text>
      <xsl:value-of select="tp:string(if ($full != current-grouping-key()) then $full else '')"/>
      <xsl:text>, printed: </xsl:text>
      <!-- the printed forms, once each whatever their case, unless the same as the
           abbreviation or the full name -->
      <xsl:variable name="known" select="(lower-case(current-grouping-key()), lower-case($full),
          lower-case(normalize-space(substring-before($full || ' (', ' ('))))"/>
      <xsl:variable name="printed" as="xs:string*">
        <xsl:for-each-group select="current-group() ! tp:printed-archive(.)" group-by="lower-case(.)">
          <xsl:sequence select="current-group()[1][not(lower-case(.) = $known)]"/>
        </xsl:for-each-group>
      </xsl:variable>
      <xsl:value-of select="tp:strings($printed)"/>
      <xsl:text>),&#10;</xsl:text>
    </xsl:for-each-group>
    <xsl:text>)&#10;</xsl:text>

    <!-- the persons of the volume with their identification from the registers -->
    <xsl:text>#let persons-list = (&#10;</xsl:text>
    <xsl:variable name="persons" as="element(entry)*">
      <xsl:for-each select="distinct-values(($docs//tei:text//(tei:persName | tei:name | tei:rs)/@ref ! tp:ref-ids(.),
          $docs//tei:correspDesc//*/@ref ! tp:ref-ids(.)))[map:contains($index-register, .)]">
        <xsl:variable name="e" select="$index-register(.)"/>
        <xsl:if test="$e/self::tei:person">
          <!-- the offices held, with their years; else the register's note, without
               what it says of the sources ("the source prints …") -->
          <xsl:variable name="offices" select="string-join($e/tei:occupation ! (normalize-space(.)
              || (if (@from or @to) then ' (' || string-join(distinct-values((substring(@from, 1, 4), substring(@to, 1, 4))[.]), '–') || ')'
                  else if (@when) then ' (' || substring(@when, 1, 4) || ')' else '')), '; ')"/>
          <xsl:variable name="noted" select="string-join(tokenize(normalize-space($e/tei:note[1]), ';\s*')
              [not(matches(., '(^|\W)(sources?|garbled|prints)(\W|$)', 'i'))], '; ')"/>
          <entry name="{tp:register-name($e)}" about="{if ($offices) then $offices else replace($noted, '\.$', '')}"/>
        </xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <xsl:for-each select="$persons">
      <xsl:sort select="tp:sort-key(@name)"/>
      <xsl:text>  (name: </xsl:text>
      <xsl:value-of select="tp:string(@name)"/>
      <xsl:text>, about: </xsl:text>
      <xsl:value-of select="tp:string(@about)"/>
      <xsl:text>),&#10;</xsl:text>
    </xsl:for-each>
    <xsl:text>)&#10;</xsl:text>

    <!-- index entries: (key, kind, name), sorted; pages come from the #ix markers -->
    <xsl:text>#let index-entries = (&#10;</xsl:text>
    <xsl:variable name="entries" as="element(entry)*">
      <xsl:choose>
        <xsl:when test="map:size($index-register) gt 0">
          <xsl:for-each select="distinct-values(($docs//tei:text//(tei:persName | tei:placeName | tei:orgName | tei:name | tei:rs)/@ref
              ! tp:ref-ids(.), $docs//tei:correspDesc//*/@ref ! tp:ref-ids(.)))[map:contains($index-register, .)]">
            <xsl:variable name="e" select="$index-register(.)"/>
            <entry key="{.}" kind="{if ($e/self::tei:personGrp) then 'person' else local-name($e)}"
                name="{tp:register-name($e)}"/>
          </xsl:for-each>
        </xsl:when>
        <xsl:otherwise>
          <!-- printed names that differ only in case are one entry -->
          <xsl:for-each-group select="$docs//tei:correspDesc//(tei:name | tei:persName | tei:orgName)[normalize-space()]"
              group-by="lower-case(normalize-space())">
            <entry key="person:{current-grouping-key()}" kind="person" name="{normalize-space(current-group()[1])}"/>
          </xsl:for-each-group>
          <xsl:for-each-group select="$docs//tei:dateline/tei:placeName[normalize-space()]" group-by="lower-case(normalize-space())">
            <entry key="place:{current-grouping-key()}" kind="place" name="{normalize-space(current-group()[1])}"/>
          </xsl:for-each-group>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:for-each select="$entries">
      <xsl:sort select="tp:sort-key(replace(@name, '^(the|a|an) ', '', 'i'))"/>
      <xsl:text>  (key: </xsl:text>
      <xsl:value-of select="tp:string(@key)"/>
      <xsl:text>, kind: </xsl:text>
      <xsl:value-of select="tp:string(@kind)"/>
      <xsl:text>, name: </xsl:text>
      <xsl:value-of select="tp:string(@name)"/>
      <xsl:text>),&#10;</xsl:text>
    </xsl:for-each>
    <xsl:text>)&#10;</xsl:text>
    <!-- variants of other witnesses: a second series of notes at the page foot -->
    <xsl:text>#let has-variants = </xsl:text>
    <xsl:value-of select="if (exists($docs//tei:text//tei:app)) then 'true' else 'false'"/>
    <xsl:text>&#10;</xsl:text>
    <xsl:text>#let index-from-registers = </xsl:text>
    <xsl:value-of select="if (map:size($index-register) gt 0) then 'true' else 'false'"/>
    <xsl:text>&#10;</xsl:text>

    <!-- the concordance of archival citations, in archive and shelf-mark order -->
    <xsl:text>#let concordance = (&#10;</xsl:text>
    <xsl:for-each select="$docs//tei:sourceDesc/tei:msDesc">
      <xsl:sort select="tp:shelf-key(.)"/>
      <!-- sort: the same order across volumes, for the shared concordance of the index volume -->
      <xsl:text>  (sort: </xsl:text>
      <xsl:value-of select="tp:string(tp:shelf-key(.))"/>
      <xsl:text>, cite: </xsl:text>
      <xsl:value-of select="tp:string(ed:archival-citation(.))"/>
      <xsl:text>, archive: </xsl:text>
      <xsl:value-of select="tp:string(normalize-space(tei:msIdentifier/tei:repository))"/>
      <xsl:text>, id: </xsl:text>
      <xsl:value-of select="tp:string(ed:doc-id(.))"/>
      <xsl:text>, num: </xsl:text>
      <xsl:value-of select="tp:string($numbers-map(ed:doc-id(.)))"/>
      <xsl:text>),&#10;</xsl:text>
    </xsl:for-each>
    <xsl:text>)&#10;</xsl:text>
  </xsl:template>

  <!-- The order of the concordance: archive, fond, opis, papka, delo, first folio. -->
  <xsl:function name="tp:shelf-key" as="xs:string">
    <xsl:param name="ms" as="element(tei:msDesc)"/>
    <xsl:sequence select="tp:sort-key(string-join(($ms/tei:msIdentifier/tei:repository,
        for $t in ('fond', 'opis', 'papka', 'delo') return (ed:idno($ms, $t), '0')[.][1],
        ($ms/tei:msContents//tei:locus/@from, '0')[1]), ' '))"/>
  </xsl:function>

  <!-- A part's title: the year, or the collection's title. -->
  <xsl:function name="tp:part-title" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:variable name="coll" select="$edition//tei:bibl[@type = 'collection'][@xml:id = 'coll-' || $key]"/>
    <xsl:sequence select="if (matches($key, '^\d{4}$')) then $key
        else if ($key = 'undated') then 'Undated documents'
        else (normalize-space($coll/tei:title[1]), $key)[.][1]"/>
  </xsl:function>

  <!-- The archive's name as the document prints it: the archival bibl of the body in
       the same position as this msDesc (one msDesc per printed citation). -->
  <xsl:function name="tp:printed-archive" as="xs:string?">
    <xsl:param name="repo" as="element(tei:repository)"/>
    <xsl:variable name="ms" select="$repo/ancestor::tei:msDesc"/>
    <xsl:variable name="all-ms" select="root($repo)//tei:sourceDesc/tei:msDesc"/>
    <xsl:variable name="bibls" select="root($repo)//tei:text//tei:bibl[@type = 'archival']"/>
    <xsl:variable name="i" select="index-of($all-ms ! generate-id(.), generate-id($ms))"/>
    <xsl:sequence select="if (count($bibls) = count($all-ms))
        then normalize-space($bibls[$i]/tei:orgName[@type = 'archive'][1])[.] else ()"/>
  </xsl:function>

  <!-- A register entry's name for the index: "Surname, Forename" where the parts are
       marked, else the preferred name as the register writes it. -->
  <xsl:function name="tp:register-name" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <!-- tei/registers.xml (pipeline/link.py): the preferred form first; never an
         office ("people's commissar for …"), which is a form found in the text only -->
    <xsl:variable name="names" select="$e/(tei:persName | tei:placeName | tei:orgName | tei:geogName | tei:name)
        [not(@type = 'office')][normalize-space()]"/>
    <xsl:variable name="n" select="($names[@type = ('preferred', 'reg', 'main', 'full')], $names)[1]"/>
    <xsl:sequence select="
        if ($n/tei:surname) then string-join((normalize-space(string-join($n/tei:surname, ' ')),
            normalize-space(string-join(($n/tei:forename, $n/tei:roleName, $n/tei:addName), ' '))[.]), ', ')
        else if ($e/self::tei:person and normalize-space($n)) then tp:inverted(normalize-space($n), string($e/@xml:id))
        else if (normalize-space($n)) then normalize-space($n)
        else string($e/@xml:id)"/>
  </xsl:function>

  <!-- "Adolf Hitler" (p_hitler) → "Hitler, Adolf": the register writes names in their
       natural order and makes the id of a person from the surname ("p_<surname>",
       tei/registers.xml). Where the last word of the name is that surname (its first
       letters, spellings vary: Semenov/Semyonov), the index puts it first; other
       names stay as written ("Enver Pasha", "Boris III", "Chiang Kai-shek"). -->
  <xsl:function name="tp:inverted" as="xs:string">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="id" as="xs:string"/>
    <xsl:variable name="qualifier" select="if (contains($name, '(')) then '(' || substring-after($name, '(') else ''"/>
    <xsl:variable name="words" select="tokenize(normalize-space(substring-before($name || '(', '(')), ' ')"/>
    <xsl:variable name="key" select="tokenize(substring-after($id, 'p_'), '_')[1]"/>
    <!-- the surname is the first word after the forenames that begins like the id's
         surname, or one of whose parts does (a double-barrelled name): "Andrew Bonar Law"
         (p_bonar_law) is "Bonar Law, Andrew", "Hughe Knatchbull-Hugessen" (p_hugessen)
         "Knatchbull-Hugessen, Hughe" -->
    <xsl:variable name="at" select="(for $i in 2 to count($words) return
        $i[some $part in tokenize(tp:sort-key($words[$i]), ' ')
           satisfies substring(translate($part, 'ı', 'i'), 1, 3) = substring($key, 1, 3)])[1]"/>
    <!-- a name with a title after it (Mustafa Kemal Pasha, Amanullah Khan) has no
         surname to put first -->
    <xsl:variable name="titled" select="normalize-space(tp:sort-key($words[last()]))
        = ('pasha', 'bey', 'khan', 'shah', 'effendi', 'efendi', 'agha', 'aga')"/>
    <xsl:sequence select="
        if (string-length($key) ge 3 and exists($at) and not($titled))
        then string-join($words[position() ge $at], ' ') || ', ' || string-join($words[position() lt $at], ' ')
             || (if ($qualifier) then ' ' || $qualifier else '')
        else $name"/>
  </xsl:function>

</xsl:stylesheet>

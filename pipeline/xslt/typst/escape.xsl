<?xml version="1.0" encoding="UTF-8"?>
<!--
  Escaping for Typst. Every piece of text that reaches the Typst source passes through
  one of these functions, so that no character of any source can change the layout or
  run Typst code (tests/test_pdf_escape.py proves it with hostile text).

    tp:text($s)    text for Typst *markup*: whitespace runs (including line and
                   paragraph separators and control characters) become one space, so
                   that text never starts a line or makes a paragraph break; then every
                   ASCII character that is not a letter, digit or space is escaped with
                   a backslash. Typst gives meaning only to ASCII punctuation in markup
                   (# $ * _ ` @ < [ ] \ ~ ' " - + = / . : and their combinations such as
                   //, /*, ..., ==, 1., http://), and a backslash before any of them
                   prints the character itself; non-ASCII characters have no markup
                   meaning. Escaping all of them is simpler to prove than choosing.
    tp:string($s)  a Typst string *literal* with its quotes, for arguments of Typst
                   functions (titles, dates, names): only \ and " need escaping there;
                   whitespace is normalised as in tp:text.
    tp:label($s)   a Typst label name (<…>) from an xml:id: characters outside
                   letters, digits, "_", "-", "." become "_".
    tp:comment($s) text safe on a Typst line comment (no line break in it).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tp="https://edition-pipeline.example/ns/typst"
    exclude-result-prefixes="#all">

  <!-- Whitespace, C0/C1 controls and the Unicode line/paragraph separators: one space.
       No-break spaces (U+00A0, U+202F) are kept: they are evidence of the witness. -->
  <xsl:function name="tp:space" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <!-- Character by character, no "+": Typst collapses runs of spaces itself, and
         Saxon's regex engine is much slower with a quantifier. -->
    <xsl:sequence select="if (matches(string($s), '[\p{Cc}\p{Zl}\p{Zp}]'))
        then replace(string($s), '[\p{Cc}\p{Zl}\p{Zp}]', ' ') else string($s)"/>
  </xsl:function>

  <xsl:function name="tp:text" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <!-- $0 rather than a captured group: Saxon replaces several times faster. -->
    <xsl:sequence select="replace(tp:quotes(tp:breakable(tp:space($s))), '[!-/:-@\[-`{-~]', '\\$0')"/>
  </xsl:function>

  <!-- A run of 1,000 characters without a space gets a zero-width space after every
       1,000th: a line can break there, and no run of text in the PDF grows past the
       32,767 characters PDF/A allows in a string. -->
  <xsl:function name="tp:breakable" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:sequence select="if (string-length($s) lt 1000 or not(matches($s, '\S{1000}'))) then $s
        else replace($s, '(\S{1000})', '$1&#x200B;')"/>
  </xsl:function>
  <!-- The display regularisation of quotation marks and apostrophes (docs/pdf.md; the
       TEI keeps the source's forms): straight and curly quotes, and the modifier letter
       prime that some sources print for an apostrophe, become typographic quotes: “…”
       and ‘…’, the apostrophe ’. A quote at the start of a text or after a space or an
       opening bracket or dash, before a letter or digit, opens; any other closes (a text
       node may begin after an element: "Lenin’s", "Izvestia”"). -->
  <!-- (a double quote the source sets apart after a stop closes the quotation: "period.” after") -->
  <xsl:function name="tp:quotes" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:sequence select="if (not(matches($s, '[&quot;''ʹ]'))) then $s else
        let $a := replace(translate($s, 'ʹ', ''''), '([.,;:!?…]) &quot;(\s|$)', '$1&quot;$2'),
            $b := replace($a, '(^|[\s(\[—–‘/])&quot;([^\s])', '$1“$2'),
            $c := translate($b, '&quot;', '”'),
            $d := replace($c, '^''(s)([^\p{L}]|$)', '’$1$2'),
            $e := replace($d, '(^|[\s(\[—–“/])''([\p{L}\p{Nd}])', '$1‘$2')
        return translate($e, '''', '’')"/>
  </xsl:function>

  <xsl:function name="tp:string" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <!-- at most 2,000 characters: titles, dates, names and ids are short, and a value
         that reaches the PDF's outline or metadata is one PDF string (32,767 at most) -->
    <xsl:variable name="t" select="let $n := normalize-space(tp:quotes(tp:space($s)))
        return if (string-length($n) le 2000) then $n else substring($n, 1, 2000) || '…'"/>
    <xsl:sequence select="'&quot;' || (if (contains($t, '\') or contains($t, '&quot;'))
        then replace(replace($t, '\\', '\\\\'), '&quot;', '\\&quot;') else $t) || '&quot;'"/>
  </xsl:function>

  <!-- A Typst array of string literals: ("a", "b",) — the trailing comma keeps a
       one-element array an array. -->
  <xsl:function name="tp:strings" as="xs:string">
    <xsl:param name="items" as="xs:string*"/>
    <xsl:sequence select="'(' || string-join($items ! (tp:string(.) || ', ')) || ')'"/>
  </xsl:function>

  <xsl:function name="tp:label" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <xsl:sequence select="replace(string($s), '[^\p{L}\p{Nd}_.\-]', '_')"/>
  </xsl:function>

  <xsl:function name="tp:comment" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <xsl:sequence select="tp:space($s)"/>
  </xsl:function>

  <!-- A sort key: case and accents folded, numbers padded so that 9 sorts before 10. -->
  <xsl:function name="tp:sort-key" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <xsl:variable name="folded" select="normalize-space(replace(replace(lower-case(normalize-unicode(tp:space($s), 'NFKD')),
        '\p{M}', ''), '[^\p{L}\p{Nd}]+', ' '))"/>
    <xsl:variable name="parts" as="xs:string*">
      <xsl:analyze-string select="$folded" regex="[0-9]+">
        <xsl:matching-substring>
          <xsl:sequence select="format-integer(xs:integer(substring(., 1, 15)), '000000000000000')"/>
        </xsl:matching-substring>
        <xsl:non-matching-substring>
          <xsl:sequence select="."/>
        </xsl:non-matching-substring>
      </xsl:analyze-string>
    </xsl:variable>
    <xsl:sequence select="string-join($parts)"/>
  </xsl:function>

</xsl:stylesheet>

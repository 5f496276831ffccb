<?xml version="1.0" encoding="UTF-8"?>
<!--
  Entry stylesheet: the search page (search.html): the form with its filters. The
  index is sharded into scripts under search/ (pipeline/html/search.py), loaded by
  assets/search.js as a query needs them: browsers refuse fetch() from file://.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:h="https://edition-pipeline.example/ns/html"
    exclude-result-prefixes="#all">

  <xsl:import href="lists.xsl"/>

  <!-- {facet: [[key, label, count]]}: the filters' values, computed by pipeline/html/search.py
       with the same keys as the index -->
  <xsl:param name="facets" as="xs:string" select="'{}'"/>
  <xsl:variable name="facet-map" as="map(*)" select="parse-json($facets)"/>
  <xsl:variable name="facet-names" as="map(xs:string, xs:string)" select="map{
      'type': 'Type', 'collection': 'Collection', 'correspondent': 'Correspondent',
      'archive': 'Archive', 'place': 'Place of writing'}"/>

  <xsl:template match="/site">
    <xsl:variable name="page">
      <xsl:call-template name="h:shell">
        <xsl:with-param name="title" select="'Search'"/>
        <xsl:with-param name="section" select="'search'"/>
        <xsl:with-param name="kind" select="'search'"/>
        <xsl:with-param name="head-extra" as="node()*">
          <!-- async: the script asks for the query's index files while the page is parsed;
               the shard map it loads first is fetched beside it rather than after it -->
          <link rel="preload" href="search/meta.js" as="script"/>
          <script src="assets/search.js" async="async"></script>
        </xsl:with-param>
        <xsl:with-param name="content" as="node()*">
          <h1>Search</h1>
          <form id="search-form" class="search-form" action="search.html" method="get" role="search">
            <p class="search-line">
              <label for="q">Words or a phrase</label>
              <input id="q" name="q" type="search" autocomplete="off"/>
              <button type="submit">Search</button>
            </p>
            <p class="search-options">
              <input id="stem" name="stem" type="checkbox" value="1"/>
              <label for="stem">also other forms of the words (treaty, treaties)</label>
            </p>
            <fieldset class="search-filters">
              <legend>Filters</legend>
              <p class="filter-dates">
                <label for="from">From</label>
                <input id="from" name="from" type="text" inputmode="numeric" size="10" placeholder="1919"
                       pattern="\d{{4}}(-\d{{2}}(-\d{{2}})?)?" aria-describedby="date-help"/>
                <label for="to">to</label>
                <input id="to" name="to" type="text" inputmode="numeric" size="10" placeholder="1942-12-31"
                       pattern="\d{{4}}(-\d{{2}}(-\d{{2}})?)?" aria-describedby="date-help"/>
                <span id="date-help" class="hint">a year, year-month or year-month-day</span>
              </p>
              <xsl:for-each select="('type', 'collection', 'correspondent', 'archive', 'place')">
                <xsl:variable name="facet" select="."/>
                <xsl:variable name="many" select="$facet-map($facet)[. instance of xs:double]"/>
                <xsl:variable name="values" select="($facet-map($facet)[. instance of array(*)], [])[1]?*"/>
                <!-- more values than a menu holds: a text field; search.js suggests the names
                     from search/n/ as one types, so the page does not grow with the edition -->
                <xsl:if test="exists($many)">
                  <p class="filter">
                    <label for="f-{$facet}"><xsl:value-of select="$facet-names($facet)"/></label>
                    <input id="f-{$facet}" name="{$facet}" type="search" list="f-{$facet}-names" autocomplete="off"
                           aria-describedby="f-{$facet}-help" data-names="{$facet}"/>
                    <datalist id="f-{$facet}-names"></datalist>
                    <span id="f-{$facet}-help" class="hint">
                      <xsl:value-of select="format-number($many, '#,###') || ' names: type the first letters'"/>
                    </span>
                  </p>
                </xsl:if>
                <xsl:if test="exists($values)">
                  <p class="filter">
                    <label for="f-{$facet}"><xsl:value-of select="$facet-names($facet)"/></label>
                    <select id="f-{$facet}" name="{$facet}">
                      <option value="">any</option>
                      <xsl:for-each select="$values">
                        <option value="{?1}"><xsl:value-of select="?2 || ' (' || ?3 || ')'"/></option>
                      </xsl:for-each>
                    </select>
                  </p>
                </xsl:if>
              </xsl:for-each>
            </fieldset>
          </form>
          <details class="search-help">
            <summary>How to search</summary>
            <ul>
              <li>All the words must occur in a document, as whole words: <kbd>Kars</kbd> does not find “Karsky”.</li>
              <li>A phrase in quotation marks must occur as written: <kbd>"Balkan entente"</kbd>.</li>
              <li>A star finds every word that begins so: <kbd>negotiat*</kbd>.</li>
              <li>“Other forms” finds the words of the same stem: <kbd>treaty</kbd> also finds “treaties”.</li>
              <li>Case and accents do not matter. The filters alone list the documents they select, in date order.</li>
            </ul>
          </details>
          <noscript><p class="notice">Search needs JavaScript. Without it, use the <a href="calendar.html">calendar</a>,
            the lists <a href="collections.html">by collection</a>, <a href="correspondents.html">by correspondent</a>
            and <a href="places.html">by place</a>, or the <a href="archives.html">archival concordance</a>.</p></noscript>
          <p id="search-status" class="search-status" role="status" aria-live="polite"></p>
          <ol id="search-results" class="search-results"></ol>
          <p><button id="search-more" type="button" hidden="hidden">More results</button></p>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:variable>
    <xsl:sequence select="h:page('search.html', $page)"/>
  </xsl:template>

</xsl:stylesheet>

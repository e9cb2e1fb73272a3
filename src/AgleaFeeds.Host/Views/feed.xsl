<?xml version="1.0" encoding="utf-8"?>
<!-- A feed opened in a browser: a readable page that says what a feed is and how to subscribe.
     Feed readers and validators ignore the <?xml-stylesheet?> instruction and read the Atom as it is. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat" indent="no"/>
  <xsl:variable name="self" select="/atom:feed/atom:link[@rel='self']/@href"/>
  <xsl:template match="/atom:feed">
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:title"/> (feed)</title>
        <link rel="stylesheet" href="/assets/bootstrap.min.css"/>
        <link rel="stylesheet" href="/assets/site.css"/>
      </head>
      <body>
        <nav class="navbar navbar-default navbar-static-top"><div class="container"><a class="navbar-brand" href="/">AgleaFeeds</a></div></nav>
        <main class="container">
          <div class="alert alert-info feed-about" id="subscribe">
            <strong>This is a feed.</strong> To follow it, copy its address into your feed reader
            (newsboat, Thunderbird, Feedly, NetNewsWire…): <code><xsl:value-of select="$self"/></code>
          </div>
          <h1 id="feed-title"><xsl:value-of select="atom:title"/></h1>
          <p class="text-muted">Updated <xsl:value-of select="translate(substring(atom:updated, 1, 16), 'T', ' ')"/> UTC ·
            <xsl:value-of select="count(atom:entry)"/> entries on this page</p>
          <xsl:apply-templates select="atom:entry"/>
          <ul class="pager">
            <xsl:if test="atom:link[@rel='previous']"><li class="previous"><a href="{atom:link[@rel='previous']/@href}">Newer</a></li></xsl:if>
            <xsl:if test="atom:link[@rel='next']"><li class="next"><a href="{atom:link[@rel='next']/@href}">Older</a></li></xsl:if>
          </ul>
        </main>
      </body>
    </html>
  </xsl:template>
  <xsl:template match="atom:entry">
    <article class="feed-entry">
      <h2>
        <a href="{(atom:link[@rel='alternate'] | atom:link[not(@rel)])[1]/@href}"><xsl:value-of select="atom:title"/></a>
      </h2>
      <p class="text-muted small">
        <xsl:value-of select="atom:author/atom:name"/>
        <xsl:if test="atom:published | atom:updated"> · <xsl:value-of select="translate(substring((atom:published | atom:updated)[1], 1, 16), 'T', ' ')"/> UTC</xsl:if>
      </p>
    </article>
  </xsl:template>
</xsl:stylesheet>

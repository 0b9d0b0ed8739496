<?xml version="1.0" encoding="UTF-8"?>
{# What a browser shows when a reader opens one of the site's RSS or Atom feeds: a page that says what a
   feed is and how to follow it, then the feed's stories. Feed readers ignore it. A template rather than a
   static file, so its stylesheet link carries the site's base path and its words can be translated. #}
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
<xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>
<xsl:variable name="title" select="/rss/channel/title | /atom:feed/atom:title"/>
<xsl:variable name="home" select="/rss/channel/link | /atom:feed/atom:link[@rel='alternate']/@href"/>
<xsl:variable name="self" select="/rss/channel/atom:link[@rel='self']/@href | /atom:feed/atom:link[@rel='self']/@href"/>
<xsl:template match="/">
<html lang="{{ config.language }}">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<meta name="robots" content="noindex"/>
<title>{{ _("Feed") }}: <xsl:value-of select="$title"/></title>
<link rel="stylesheet" href="{{ url('css/digest.css') }}"/>
<link rel="icon" href="{{ url('favicon.svg') }}" type="image/svg+xml"/>
</head>
<body>
<header class="site-header"><div class="wrap"><a class="site-title" href="{{ url() }}">{{ config.title }}</a></div></header>
<main id="main" class="wrap feed-preview">
<p class="kicker">{{ _("Feed") }}</p>
<h1><xsl:value-of select="$title"/></h1>
<section class="feed-explainer" aria-labelledby="what-title">
<h2 id="what-title">{{ _("This is a feed: follow it in a feed reader") }}</h2>
<p>{{ _("A feed reader (Feedly, Inoreader, NetNewsWire, Thunderbird and many more) shows every new story as it is published. To follow this page, copy its address into your reader's “add subscription” box:") }}</p>
<p><code><xsl:value-of select="$self"/></code></p>
<p><a href="{{ url('feeds/') }}">{{ _("Every feed of this site, and how they work") }}</a> · <a href="{$home}">{{ _("The page this feed follows") }}</a></p>
</section>
<h2 class="section-title">{{ _("Latest in this feed") }}</h2>
<xsl:for-each select="/rss/channel/item | /atom:feed/atom:entry">
<article class="card">
<h3 class="card-title"><a href="{link | atom:link[@rel='alternate']/@href}"><xsl:value-of select="title | atom:title"/></a></h3>
{# RSS dates are RFC 822 ("Mon, 20 Oct 2025 …", English month names): written as ISO dates, like Atom's,
   so the page reads the same in every language. #}
<p class="meta"><xsl:if test="pubDate"><xsl:value-of select="concat(substring(pubDate, 13, 4), '-',
  format-number(string-length(substring-before('JanFebMarAprMayJunJulAugSepOctNovDec', substring(pubDate, 9, 3))) div 3 + 1, '00'),
  '-', substring(pubDate, 6, 2))"/></xsl:if><xsl:value-of select="substring(atom:published | atom:updated[not(../atom:published)], 1, 10)"/></p>
<p class="summary"><xsl:value-of select="description | atom:summary"/></p>
</article>
</xsl:for-each>
</main>
</body>
</html>
</xsl:template>
</xsl:stylesheet>

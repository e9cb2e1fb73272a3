#!/usr/bin/env python3
"""Generates N WordPress-shaped blogs for the polling benchmark.

Each blog has a posts feed of 10 items (about 45 KB, as WordPress writes it), a site comments feed of
the newest 10 comments and one comment feed per post. Files are named index.xml under the paths
WordPress uses, so nginx serves /blogN/feed/ like WordPress does.
Usage: generate-blogs.py OUT_DIR COUNT BASE_URL
"""
import os
import random
import sys
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

out, count, base = sys.argv[1], int(sys.argv[2]), sys.argv[3].rstrip("/")
rng = random.Random(42)
WORDS = ("community members meetup founders lessons failure success mentoring volunteer scholarship "
         "seoul event report thanks question answer network career story learning growth share").split()

HEAD = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:wfw="http://wellformedweb.org/CommentAPI/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:atom="http://www.w3.org/2005/Atom"
\txmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
\txmlns:slash="http://purl.org/rss/1.0/modules/slash/"
\t>
<channel>
"""


def words(n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def rfc(d):
    return format_datetime(d, usegmt=False).replace("-0000", "+0000")


start = datetime(2025, 1, 1, tzinfo=timezone.utc)
for b in range(count):
    site = f"{base}/blog{b}"
    root = os.path.join(out, f"blog{b}")
    items, comments = [], []
    for i in range(10):
        pid = 1000 + i
        date = start + timedelta(days=i, minutes=b)
        link = f"{site}/2025/01/{i + 1:02d}/post-{i}/"
        body = "".join(f"<p>{words(60)}</p>\n" for _ in range(7))
        ncom = 20  # the farm: 10 post comment feeds of 20 comments per blog
        post_comments = []
        for c in range(ncom):
            cid = pid * 10 + c
            cdate = date + timedelta(hours=c + 1)
            post_comments.append((cid, cdate, f"Reader {c}", words(25)))
            comments.append((cdate, cid, pid, link, f"Post {i}", f"Reader {c}", words(25)))
        items.append(f"""\t<item>
\t\t<title>Post {i}: {words(6)}</title>
\t\t<link>{link}</link>
\t\t<comments>{link}#comments</comments>
\t\t<dc:creator><![CDATA[Author {b}]]></dc:creator>
\t\t<pubDate>{rfc(date)}</pubDate>
\t\t<category><![CDATA[News]]></category>
\t\t<guid isPermaLink="false">{site}/?p={pid}</guid>
\t\t<description><![CDATA[{words(40)} [&#8230;]]]></description>
\t\t<content:encoded><![CDATA[{body}]]></content:encoded>
\t\t<wfw:commentRss>{link}feed/</wfw:commentRss>
\t\t<slash:comments>{ncom}</slash:comments>
\t</item>""")
        citems = "\n".join(f"""\t<item>
\t\t<title>By: {a}</title>
\t\t<link>{link}#comment-{cid}</link>
\t\t<dc:creator><![CDATA[{a}]]></dc:creator>
\t\t<pubDate>{rfc(d)}</pubDate>
\t\t<guid isPermaLink="false">{site}/?p={pid}#comment-{cid}</guid>
\t\t<description><![CDATA[{t}]]></description>
\t\t<content:encoded><![CDATA[<p>{t}</p>]]></content:encoded>
\t</item>""" for cid, d, a, t in sorted(post_comments, reverse=True))
        write(os.path.join(root, f"2025/01/{i + 1:02d}/post-{i}/feed/index.xml"),
              HEAD + f"\t<title>Comments on: Post {i}</title>\n\t<link>{link}</link>\n\t<description>Blog {b}</description>\n"
              f"\t<generator>https://wordpress.org/?v=6.7.2</generator>\n{citems}\n\t</channel>\n</rss>\n")
    write(os.path.join(root, "feed/index.xml"),
          HEAD + f"\t<title>Blog {b}</title>\n\t<atom:link href=\"{site}/feed/\" rel=\"self\" type=\"application/rss+xml\" />\n"
          f"\t<link>{site}</link>\n\t<description>Blog {b}</description>\n\t<language>en-US</language>\n"
          f"\t<generator>https://wordpress.org/?v=6.7.2</generator>\n" + "\n".join(reversed(items)) + "\n\t</channel>\n</rss>\n")
    newest = sorted(comments, reverse=True)[:10]
    citems = "\n".join(f"""\t<item>
\t\t<title>Comment on {pt} by {a}</title>
\t\t<link>{pl}#comment-{cid}</link>
\t\t<dc:creator><![CDATA[{a}]]></dc:creator>
\t\t<pubDate>{rfc(d)}</pubDate>
\t\t<guid isPermaLink="false">{site}/?p={pid}#comment-{cid}</guid>
\t\t<description><![CDATA[{t}]]></description>
\t\t<content:encoded><![CDATA[<p>{t}</p>]]></content:encoded>
\t</item>""" for d, cid, pid, pl, pt, a, t in newest)
    write(os.path.join(root, "comments/feed/index.xml"),
          HEAD + f"\t<title>Comments for Blog {b}</title>\n\t<link>{site}</link>\n\t<description>Blog {b}</description>\n"
          f"\t<generator>https://wordpress.org/?v=6.7.2</generator>\n{citems}\n\t</channel>\n</rss>\n")

with open(os.path.join(out, "sources.opml"), "w", encoding="utf-8") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><head><title>bench</title></head><body>\n')
    for b in range(count):
        f.write(f'<outline type="rss" text="Blog {b}" xmlUrl="{base}/blog{b}/feed/" />\n')
    f.write("</body></opml>\n")
with open(os.path.join(out, "urls"), "w", encoding="utf-8") as f:
    for b in range(count):
        f.write(f"{base}/blog{b}/feed/\n")

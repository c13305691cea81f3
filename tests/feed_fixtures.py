"""Feeds and pages the tests write: RSS 2.0, Atom, RDF, and article pages with enough text to extract."""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

ARTICLE = """<!doctype html><html><head><meta charset="utf-8"><title>{title} | Local News</title>
<meta property="og:site_name" content="Local News"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>{title}</h1>
<p>{title}: officials confirmed the news on Tuesday in a short statement to reporters gathered outside.</p>
<p>Residents of {slug} said they had expected the decision for weeks, and several welcomed it openly.</p>
<p>The council will meet again next month to review how the {slug} plan is carried out in practice.</p>
</article><footer>© Local News</footer></body></html>"""


def article_page(path: str) -> bytes:
    """A news page whose words depend on its path, so different URLs are different articles."""
    slug = path.strip("/").replace("/", " ") or "home"
    return ARTICLE.format(title=f"Story about {slug}", slug=slug).encode()


@dataclass(frozen=True)
class Item:
    title: str
    link: str
    guid: str
    summary: str = ""
    published: str = "Tue, 10 Jun 2003 04:00:00 GMT"


def rss(items: list[Item], title: str = "Local RSS") -> bytes:
    body = "".join(
        f"<item><title>{escape(i.title)}</title><link>{escape(i.link)}</link><guid>{escape(i.guid)}</guid>"
        f"<pubDate>{i.published}</pubDate><description>{escape(i.summary)}</description></item>"
        for i in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>http://localhost/</link><description>test</description>{body}</channel></rss>"
    ).encode()


def atom(items: list[Item], title: str = "Local Atom") -> bytes:
    body = "".join(
        f'<entry><title>{escape(i.title)}</title><link href="{escape(i.link)}"/><id>{escape(i.guid)}</id>'
        f'<updated>2003-12-13T18:30:02Z</updated><summary type="html">{escape(i.summary)}</summary></entry>'
        for i in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title>'
        f"<id>urn:test</id><updated>2003-12-13T18:30:02Z</updated>{body}</feed>"
    ).encode()


def rdf(items: list[Item], title: str = "Local RDF") -> bytes:
    seq = "".join(f'<rdf:li rdf:resource="{escape(i.link)}"/>' for i in items)
    body = "".join(
        f'<item rdf:about="{escape(i.link)}"><title>{escape(i.title)}</title><link>{escape(i.link)}</link>'
        f"<description>{escape(i.summary)}</description></item>"
        for i in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        f'xmlns="http://purl.org/rss/1.0/"><channel rdf:about="http://localhost/"><title>{title}</title>'
        f"<link>http://localhost/</link><description>test</description><items><rdf:Seq>{seq}</rdf:Seq></items>"
        f"</channel>{body}</rdf:RDF>"
    ).encode()


def billion_laughs() -> bytes:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10)
    )
    return (
        f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]><rss version="2.0"><channel><title>&lol9;</title>'
        "<item><title>&lol9;</title><link>http://localhost/x</link></item></channel></rss>"
    ).encode()

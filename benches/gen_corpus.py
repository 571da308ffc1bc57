#!/usr/bin/env python3
"""Make a synthetic Serious and Organised Crime Local Profile for the benchmark.

    gen_corpus.py OUT N [--seed S] [--hugo DIR [--no-nav]] [--zola DIR]
    gen_corpus.py OUT N --realistic [--images] [--seed S] [--hugo DIR] [--zola DIR]

OUT receives brief.yaml and content/ in Brief's authoring format: three
editions (partnership; elected-members at OFFICIAL with an approval record;
bordering-forces with an approval record) and N sections.

The default shape is many short, uniform sections, each with a paragraph, an
"Assessment" heading with a link to another section, a list, a table, a block
for the partnership at OFFICIAL-SENSITIVE, a span naming a subject for the
partnership only, a fenced YAML block and a closing paragraph; about 30% of
sections carry a recommendation. Sections are content/s00000.md ...

--realistic makes instead the shape of a real profile: fewer, longer sections
in folders (an introduction, one overview per threat, one per priority place,
context sections, then threat and place assessments), each with a summary,
owner, sources, key judgements, several headings, tables, lists, footnotes,
a quotation, two to four restricted blocks (sometimes nested) and several
restricted spans, links with #fragments to headings of other sections, and
recommendations on about 40% of sections. Section audiences vary; a link only
points to a section every edition that sees the link also sees. --images adds
a small PNG map beside each place and threat overview and about one in ten
other sections (Brief re-encodes every image, so this adds image work).

--hugo DIR lays the same Markdown out as a minimal Hugo site: same files, same
front matter, one bare layout (with a nav listing every page, which makes
Hugo's build quadratic in N, unless --no-nav; the page says lang="en", so
that Pagefind run over Hugo's output indexes it as English). --zola DIR does the same for
Zola with TOML front matter (title and weight only).

The output is a function of (N, seed, options) only: same arguments, same bytes.
"""
import argparse
import itertools
import os
import random
import struct
import zlib

# ---------------------------------------------------------------- vocabulary

LEXICON = """
drugs supply county lines firearms trafficking modern slavery exploitation fraud
cyber counterfeit medicines acquisitive crime burglary vehicle theft organised
group network partnership licensing trading standards housing education health
social care immigration enforcement harbour port corridor motorway estate town
centre night economy premises cash laundering business rates council tenancy
victims vulnerable children adults intelligence assessment threat vulnerability
risk harm pursue prevent protect prepare disruption referral safeguarding mapping
tier band cohort associates family pathway community tension gang violence
recruitment debt bondage cuckooing hotspot
""".split()

THREATS = ["drugs", "people-trafficking", "firearms", "illegal-immigration", "modern-slavery",
           "fraud", "counterfeit-goods", "acquisitive-crime", "cyber-crime", "cse"]
THREAT_NAMES = {
    "drugs": "Drugs supply and county lines", "people-trafficking": "People trafficking",
    "firearms": "Firearms", "illegal-immigration": "Organised illegal immigration",
    "modern-slavery": "Modern slavery and labour exploitation", "fraud": "Fraud",
    "counterfeit-goods": "Counterfeit goods and medicines",
    "acquisitive-crime": "Organised acquisitive crime", "cyber-crime": "Cyber crime",
    "cse": "Child sexual exploitation",
}
AREAS = ["Northtown", "Eastport", "Millbrook", "Harbourside", "Westfield", "Kingsmoor"]
STRANDS = ["pursue", "prevent", "protect", "prepare"]
EDITIONS = ["partnership", "elected-members", "bordering-forces"]
TRENDS = ["rising", "stable", "falling"]

PARTNERS = ["Northshire Police Intelligence", "Community Safety Partnership",
            "Northshire Council Licensing", "Northshire Homes", "Trading Standards",
            "Children's Social Care", "Adult Safeguarding Board", "Regional Organised Crime Unit",
            "Border Force (Harbourside)", "Public Health Northshire", "Probation Service"]
SOURCES = ["OCG Mapping", "Northshire Police crime and intelligence systems",
           "National Referral Mechanism data", "Northshire Homes tenancy data",
           "Trading Standards complaints", "Action Fraud reports", "Hospital A&E data sharing",
           "Children's Social Care referrals", "Licensing visit records"]
CONTEXT = ["methodology", "enablers", "criminal-markets", "vulnerabilities", "community-tension",
           "cross-boundary", "national-international", "drivers-and-pathways"]
HEADINGS = ["overview", "key judgements", "scale and trend", "victims and harm", "offenders and groups",
            "locations", "methods", "enablers", "intelligence gaps", "partnership response",
            "community impact", "outlook"]
YARDSTICK = ["It is highly likely that", "It is likely that", "It is a realistic possibility that",
             "It is unlikely that", "It is almost certain that"]
ALIASES = ["a local man", "a local woman", "a man in his thirties", "a family group",
           "a business owner", "a teenager"]
CONFIDENCE = ["High", "Medium", "Low"]


class Text:
    """Random prose from a seeded generator."""

    def __init__(self, rng):
        self.r = rng

    def words(self, n):
        return " ".join(self.r.choice(LEXICON) for _ in range(n))

    def sentence(self, n=None):
        w = self.words(n or self.r.randint(8, 22))
        return w[0].upper() + w[1:] + "."

    def paragraph(self, k=None):
        return " ".join(self.sentence() for _ in range(k or self.r.randint(3, 6)))

    def bullets(self, k, n=8):
        return "\n".join("- " + self.sentence(n) for _ in range(k))


def yaml_list(items):
    return "[" + ", ".join(items) + "]"


def front_matter(fields):
    return "---\n" + "\n".join(fields) + "\n---\n\n"


# ------------------------------------------------------------ uniform corpus

def uniform_config():
    return """\
title: "Synthetic Serious and Organised Crime Local Profile"
area: "Benchmark force area"
owner:
  name: "Profile owner"
  email: "owner@example.invalid"
produced: 2026-10-01
review_by: 2027-09-30
ceiling: OFFICIAL-SENSITIVE
editions:
  partnership:
    name: "Local multi-agency partnership"
    classification: OFFICIAL-SENSITIVE
  elected-members:
    name: "Elected members"
    classification: OFFICIAL
    approval: {by: "Profile owner", on: 2026-10-10, rationale: "Briefing councillors"}
  bordering-forces:
    name: "Bordering forces"
    classification: OFFICIAL-SENSITIVE
    approval: {by: "Profile owner", on: 2026-10-10, rationale: "Cross-border threats"}
"""


def uniform_sections(n, rng):
    """Yield (relative path, front matter dict-ish lines, body) for N uniform sections."""
    t = Text(rng)
    width = max(5, len(str(n - 1)))
    for i in range(n):
        audience = ["partnership"] + [e for e in EDITIONS[1:] if rng.random() < 0.7]
        fields = [
            f'title: "Section {i}: {rng.choice(LEXICON).capitalize()} {rng.choice(LEXICON)}"',
            "classification: OFFICIAL",
            f"audience: {yaml_list(audience)}",
            f"threats: {yaml_list(rng.sample(THREATS, rng.randint(1, 3)))}",
            f"areas: [{rng.choice(AREAS)}]",
            f"weight: {i}",
        ]
        if rng.random() < 0.3:
            fields += [
                "recommendations:",
                f"  - id: R{i}",
                f"    strand: {rng.choice(STRANDS)}",
                f'    text: "{t.sentence()}"',
                '    owner: "Community Safety Partnership"',
                "    due: 2027-03-31",
            ]
        other = rng.randrange(n)
        table = ["| Area | Groups | Trend |", "|---|---|---|"] + [
            f"| {a} | {rng.randint(0, 9)} | {rng.choice(TRENDS)} |" for a in rng.sample(AREAS, 3)]
        blocks = [
            t.paragraph(),
            # The target may be withheld from some editions: say its text shows there.
            f"## Assessment\n\n{t.paragraph()} See [section {other}](../s{other:0{width}d}.md){{if-withheld=\"text\"}}.",
            t.bullets(4),
            "\n".join(table),
            "## Partnership detail\n\n"
            f'::: {{audience="partnership" classification="OFFICIAL-SENSITIVE"}}\n{t.paragraph()}\n:::',
            f'{t.sentence()} The lead nominal is [subject {i}]{{audience="partnership"}}[a local man]{{otherwise}}. {t.sentence()}',
            f"```yaml\nsource: OCG Mapping\nband: {rng.choice('ABCD')}\ngroups: {rng.randint(1, 30)}\n```",
            t.paragraph(),
        ]
        yield f"s{i:0{width}d}.md", fields, "\n\n".join(blocks) + "\n", []


def long_section(lines, rng):
    """One long section: a log extract of LINES lines in a code block, a
    link in every tenth line of prose, and a restricted block; what a
    reading that is quadratic in a section's length shows up on."""
    t = Text(rng)
    fields = [
        'title: "A long section: log extract"',
        "classification: OFFICIAL",
        "audience: [all]",
        "weight: 99999",
    ]
    log = "\n".join(f"{i:06d} {t.sentence(8)}" for i in range(lines))
    prose = "\n".join(f"{t.sentence()} See [source {i}](https://example.org/{i})." for i in range(lines // 10))
    secret = '::: {audience="partnership" classification="OFFICIAL-SENSITIVE"}\n' + t.paragraph() + "\n:::"
    body = "\n\n".join([t.paragraph(), f"```text\n{log}\n```", prose, secret, t.paragraph()]) + "\n"
    return "zz-long-section.md", fields, body, []


# ---------------------------------------------------------- realistic corpus

def realistic_config():
    return """\
title: "Northshire Serious and Organised Crime Local Profile (synthetic)"
area: "Northshire Police force area"
owner:
  name: "Head of Intelligence, Northshire Police"
  role: "Profile owner"
  email: "soc-profile@northshire.police.example"
produced: 2026-10-01
review_by: 2027-09-30
feedback: "mailto:soc-profile@northshire.police.example"
ceiling: OFFICIAL-SENSITIVE
editions:
  partnership:
    name: "Local multi-agency partnership"
    classification: OFFICIAL-SENSITIVE
  elected-members:
    name: "Elected members"
    classification: OFFICIAL
    show_withheld: true
    approval: {by: "Head of Intelligence, Northshire Police", on: 2026-10-12, rationale: "Briefing for councillors on serious and organised crime in their wards"}
  bordering-forces:
    name: "Bordering forces"
    classification: OFFICIAL-SENSITIVE
    approval: {by: "Head of Intelligence, Northshire Police", on: 2026-10-12, rationale: "Cross-border county lines, exploitation and acquisitive crime"}
"""


def slug(s):
    return "-".join(s.lower().split())


class Plan:
    """What one realistic section is, decided before any body is written, so
    that links can point at headings of sections written later."""

    def __init__(self, path, title, weight):
        self.path = path                  # relative to content/
        self.title = title
        self.weight = weight
        self.audience = ["all"]
        self.classification = "OFFICIAL"
        self.headings = []
        self.threats = []
        self.areas = []
        self.image = None

    def editions(self):
        """Editions that include this section (audience and marking)."""
        eds = EDITIONS if self.audience == ["all"] else self.audience
        if self.classification != "OFFICIAL":
            eds = [e for e in eds if e != "elected-members"]
        return set(eds)


def realistic_plans(n, rng):
    plans = [Plan("introduction.md", "Introduction and executive summary", 1)]
    plans += [Plan(f"threats/{th}.md", THREAT_NAMES[th], 10 + k) for k, th in enumerate(THREATS)]
    plans += [Plan(f"places/{a.lower()}.md", a, 40 + k) for k, a in enumerate(AREAS)]
    plans += [Plan(f"context/{c}.md", c.replace("-", " ").capitalize(), 60 + k) for k, c in enumerate(CONTEXT)]
    k = 0
    while len(plans) < n:
        if rng.random() < 0.7:
            th = THREATS[k % len(THREATS)]
            topic = " ".join(rng.sample(LEXICON, 2))
            p = Plan(f"threats/{th}/{slug(topic)}-{k:03d}.md",
                     f"{THREAT_NAMES[th]}: {topic}", 100 + k)
            p.threats = [th]
        else:
            a = AREAS[k % len(AREAS)]
            ward = rng.choice(LEXICON).capitalize()
            p = Plan(f"places/{a.lower()}/{ward.lower()}-ward-{k:03d}.md", f"{a}: {ward} ward", 100 + k)
            p.areas = [a]
        plans.append(p)
        k += 1
    plans = plans[:n]
    for p in plans:
        if p.path.count("/") == 2:  # assessments vary in audience; overviews are for all
            roll = rng.random()
            if roll < 0.15:
                p.audience, p.classification = ["partnership", "bordering-forces"], "OFFICIAL-SENSITIVE"
            elif roll < 0.30:
                p.audience = ["partnership", "elected-members"]
            elif roll < 0.40:
                p.audience, p.classification = ["partnership"], "OFFICIAL-SENSITIVE"
        p.threats = p.threats or rng.sample(THREATS, rng.randint(1, 4))
        if p.path.startswith("threats/") and p.path.count("/") == 1:
            p.threats = [p.path.split("/")[1][:-3]]
        p.areas = p.areas or sorted(rng.sample(AREAS, rng.randint(1, 3)), key=AREAS.index)
        p.headings = ["overview", "key judgements"] + rng.sample(HEADINGS[2:], rng.randint(3, 5)) + ["response"]
    return plans


def png(width, height, rng):
    """A small deterministic RGB PNG: a pale map with a few coloured patches."""
    bg = (238, 236, 228)
    patches = [(rng.randrange(width), rng.randrange(height), rng.randint(20, 90), rng.randint(15, 60),
                rng.choice([(200, 80, 60), (60, 110, 170), (90, 150, 90), (180, 150, 50)]))
               for _ in range(7)]
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")
        for x in range(width):
            c = bg
            for px, py, w, h, col in patches:
                if px <= x < px + w and py <= y < py + h:
                    c = col
            if (x // 40 + y // 40) % 2 == 0 and c == bg:
                c = (230, 228, 220)
            row += bytes(c)
        rows.append(bytes(row))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


def relpath(frm, to):
    return os.path.relpath(to, os.path.dirname(frm) or ".").replace(os.sep, "/")


def realistic_sections(n, rng, images):
    t = Text(rng)
    plans = realistic_plans(n, rng)
    span_no = 0

    def link(p, context):
        """A Markdown link from plan p to a heading of a section every edition in `context` sees."""
        cands = [q for q in plans if q is not p and context <= q.editions()]
        q = rng.choice(cands)
        h = rng.choice(q.headings)
        return f"[{h}]({relpath(p.path, q.path)}#{slug(h)})"

    def subject(context):
        nonlocal span_no
        span_no += 1
        name = f"Subject {span_no}"
        if "elected-members" in context and rng.random() < 0.5:
            return (f'[{name}]{{audience="partnership"}}'
                    f'[{rng.choice(ALIASES)}]{{audience="elected-members"}}')
        return f'[{name}]{{audience="partnership"}}'

    def block(p, eds, classification, inner):
        attrs = f'audience="{" ".join(e for e in EDITIONS if e in eds)}"'
        if classification:
            attrs += f' classification="{classification}"'
        return f"::: {{{attrs}}}\n{inner}\n:::"

    for i, p in enumerate(plans):
        eds = p.editions()
        fields = [f'title: "{p.title}"', f"classification: {p.classification}",
                  f"audience: {yaml_list(p.audience)}",
                  f'summary: "{t.sentence(rng.randint(18, 30))}"',
                  f"threats: {yaml_list(p.threats)}", f"areas: {yaml_list(p.areas)}",
                  f"weight: {p.weight}", f'owner: "{rng.choice(PARTNERS)}"',
                  f"updated: 2026-{rng.randint(6, 9):02d}-{rng.randint(1, 28):02d}"]
        fields.append("sources:")
        for s in rng.sample(SOURCES, rng.randint(1, 3)):
            fields.append(f'  - {{name: "{s}"}}')
        if rng.random() < 0.4:
            fields.append("recommendations:")
            for k in range(rng.randint(1, 3)):
                fields += [f"  - id: R{i}-{k + 1}", f"    strand: {rng.choice(STRANDS)}",
                           f'    text: "{t.sentence(rng.randint(12, 24))}"',
                           f'    owner: "{rng.choice(PARTNERS)}"',
                           f"    due: 2027-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                           f"    status: {rng.choice(['open', 'open', 'in-progress', 'done'])}"]
                if rng.random() < 0.25:
                    fields.append("    audience: [partnership]")
        files = []
        overview = p.path.count("/") == 1 and not p.path.startswith("context/")
        if images and (overview or rng.random() < 0.1):
            name = os.path.basename(p.path)[:-3] + "-map.png"
            files.append((os.path.join(os.path.dirname(p.path), name), png(320, 200, rng)))
            p.image = name

        out = []
        for h in p.headings:
            out.append(f"## {h.capitalize()}")
            if h == "key judgements":
                items = []
                for k in range(rng.randint(3, 5)):
                    item = f"{rng.choice(YARDSTICK)} {t.words(rng.randint(10, 20))}"
                    if k == 0:
                        item += f"; see {link(p, eds)}"
                    items.append(f"{k + 1}. {item}.")
                out.append("\n".join(items))
                continue
            for _ in range(rng.randint(1, 3)):
                para = t.paragraph()
                roll = rng.random()
                if roll < 0.25:
                    para += f" The group around {subject(eds)} is assessed to {t.words(8)}."
                elif roll < 0.45:
                    para += f" This is described further in {link(p, eds)}."
                elif roll < 0.55:
                    para += "[^1]"
                out.append(para)
            roll = rng.random()
            if roll < 0.25:
                cols = rng.sample(["Groups", "Victims", "Offences", "Referrals", "Confidence", "Trend"], 3)
                rows = [f"| Area | {' | '.join(cols)} |", "|---" * (len(cols) + 1) + "|"]
                for a in rng.sample(AREAS, rng.randint(3, 6)):
                    cells = []
                    for c in cols:
                        cells.append(rng.choice(CONFIDENCE) if c == "Confidence" else
                                     rng.choice(TRENDS) if c == "Trend" else str(rng.randint(0, 120)))
                    rows.append(f"| {a} | {' | '.join(cells)} |")
                out.append("\n".join(rows))
            elif roll < 0.40:
                out.append(t.bullets(rng.randint(3, 6), rng.randint(6, 12)))
            elif roll < 0.48:
                out.append("> " + t.sentence(rng.randint(15, 25)) + "\n>\n> — partner's account, 2026")
            elif roll < 0.55:
                out.append(f"```yaml\nsource: {rng.choice(SOURCES)}\nband: {rng.choice('ABCD')}\n"
                           f"groups: {rng.randint(1, 30)}\nreviewed: 2026-09-{rng.randint(1, 28):02d}\n```")
            # Restricted blocks, after some headings.
            roll = rng.random()
            part_bf = eds & {"partnership", "bordering-forces"}
            if roll < 0.30:
                inner = f"### Partnership detail\n\n{t.paragraph()} {subject({'partnership'})} is linked to {t.words(6)}."
                if p.image and rng.random() < 0.5:
                    inner += f"\n\n![Schematic map of {', '.join(p.areas)} showing {t.words(8)}]({p.image})"
                    p.image = None
                out.append(block(p, {"partnership"}, "OFFICIAL-SENSITIVE", inner))
            elif roll < 0.45 and "elected-members" in eds:
                out.append(block(p, {"elected-members"}, None,
                                 f"### Ward briefing\n\n{t.paragraph(3)}\n\n{t.bullets(3)}"))
            elif roll < 0.60 and "bordering-forces" in part_bf:
                inner = f"### Cross-border detail\n\n{t.paragraph()}"
                if rng.random() < 0.4:
                    # Nested: an outer block for both, an inner one for the partnership only.
                    inner += "\n\n" + block(p, {"partnership"}, None, f"{t.paragraph(2)} {subject({'partnership'})}.")
                    out.append(f'::::: {{audience="partnership bordering-forces" classification="OFFICIAL-SENSITIVE"}}\n'
                               f"{inner}\n:::::")
                else:
                    out.append(block(p, part_bf, "OFFICIAL-SENSITIVE", inner))
        if p.image:
            out.append(f"![Map of {', '.join(p.areas)} showing {t.words(6)}]({p.image})")
        body = "\n\n".join(out)
        if "[^1]" in body:
            body += f"\n\n[^1]: {t.sentence()}"
        yield p.path, fields, body + "\n", files


# --------------------------------------------------------------- site layouts

HUGO_CONFIG = 'baseURL = "/"\ntitle = "bench"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
HUGO_NAV = '<nav>{{ range .Site.RegularPages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav>'
HUGO_PAGE = ('<!doctype html><html lang="en"><head><title>{{ .Title }}</title></head><body>'
             '%s<main>{{ .Content }}</main></body></html>')

ZOLA_CONFIG = ('base_url = "/"\ntitle = "bench"\nbuild_search_index = false\n'
               '[markdown.highlighting]\ntheme = "github-light"\nstyle = "class"\n')
ZOLA_PAGE = ('<!doctype html><html><head><title>{{ %s.title }}</title></head><body>'
             '<main>{{ %s.content | safe }}</main></body></html>')


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb" if isinstance(data, bytes) else "w", encoding=None if isinstance(data, bytes) else "utf-8") as f:
        f.write(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", help="folder for brief.yaml and content/")
    ap.add_argument("n", type=int, help="number of sections")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--realistic", action="store_true", help="fewer, longer sections in folders, like a real profile")
    ap.add_argument("--images", action="store_true", help="with --realistic: PNG maps beside some sections")
    ap.add_argument("--long-section", type=int, metavar="LINES", default=0,
                    help="add one long section: LINES lines of code and a link in every tenth line of prose")
    ap.add_argument("--hugo", metavar="DIR", help="also lay the text out as a minimal Hugo site")
    ap.add_argument("--no-nav", action="store_true", help="Hugo layout without the all-pages nav")
    ap.add_argument("--zola", metavar="DIR", help="also lay the text out as a minimal Zola site")
    a = ap.parse_args()
    if a.n < 1:
        ap.error("N must be at least 1")
    if a.images and not a.realistic:
        ap.error("--images goes with --realistic")
    rng = random.Random(a.seed)

    write(os.path.join(a.out, "brief.yaml"), realistic_config() if a.realistic else uniform_config())
    if a.hugo:
        write(os.path.join(a.hugo, "hugo.toml"), HUGO_CONFIG)
        layout = HUGO_PAGE % ("" if a.no_nav else HUGO_NAV)
        for name in ("single.html", "list.html"):
            write(os.path.join(a.hugo, "layouts", "_default", name), layout)
    zola_dirs = set()
    if a.zola:
        write(os.path.join(a.zola, "config.toml"), ZOLA_CONFIG)
        for name, var in (("page.html", "page"), ("section.html", "section"), ("index.html", "section")):
            write(os.path.join(a.zola, "templates", name), ZOLA_PAGE % (var, var))

    sections = realistic_sections(a.n, rng, a.images) if a.realistic else uniform_sections(a.n, rng)
    if a.long_section:
        sections = itertools.chain(sections, [long_section(a.long_section, random.Random(a.seed))])
    count = 0
    for rel, fields, body, files in sections:
        text = front_matter(fields) + body
        write(os.path.join(a.out, "content", rel), text)
        for frel, data in files:
            write(os.path.join(a.out, "content", frel), data)
        if a.hugo:
            write(os.path.join(a.hugo, "content", rel), text)
            for frel, data in files:
                write(os.path.join(a.hugo, "content", frel), data)
        if a.zola:
            title = fields[0].split(": ", 1)[1]
            weight = next(f.split(": ", 1)[1] for f in fields if f.startswith("weight: "))
            write(os.path.join(a.zola, "content", rel), f"+++\ntitle = {title}\nweight = {weight}\n+++\n\n{body}")
            for frel, data in files:
                write(os.path.join(a.zola, "content", frel), data)
            d = os.path.dirname(rel)
            while d not in zola_dirs:
                zola_dirs.add(d)
                d = os.path.dirname(d)
        count += 1
    for d in sorted(zola_dirs):
        write(os.path.join(a.zola, "content", d, "_index.md"), f'+++\ntitle = "{d or "bench"}"\n+++\n')
    print(f"{count} sections in {a.out}/content" + (f", Hugo site in {a.hugo}" if a.hugo else "")
          + (f", Zola site in {a.zola}" if a.zola else ""))


if __name__ == "__main__":
    main()

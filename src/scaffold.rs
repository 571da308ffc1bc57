//! `brief new DIR`: a starter profile that builds at once and shows every
//! feature of the authoring format — three editions (two approved for wider
//! sharing), blocks, nested blocks, spans, sources with clearance,
//! recommendations with measures of their impact, handling caveats, links
//! between sections and an image.
//! Dates are set from today, so the starter passes `brief check` as made.

use crate::date::Date;
use crate::diagnostic::Diagnostic;
use std::path::{Path, PathBuf};

const CONFIG: &str = r#"# The profile's configuration: AUTHORING.md, beside this file, explains every key.
title: "Southvale Serious and Organised Crime Local Profile"
area: "Southvale Police force area"
owner:
  name: "Head of Intelligence, Southvale Police"
  role: "Profile owner"
  email: "soc-profile@southvale.police.example"
produced: {produced}
review_by: {review_by}          # at most 12 months after produced (guide 4.39)
feedback: "mailto:soc-profile@southvale.police.example"
ceiling: OFFICIAL-SENSITIVE     # the highest marking this system may hold
theme: default
lang: en-GB                     # the pages' language (BCP 47; cy for Welsh)
ignore: ["**/README.md", "**/_*"]   # files under content/ that are neither sections nor attachments
editions:                       # the first is the local partnership; the others need approval (guide 4.46)
  partnership:
    name: "Local multi-agency partnership"
    classification: OFFICIAL-SENSITIVE
  elected-members:
    name: "Elected members"
    classification: OFFICIAL
    show_withheld: true         # leave a visible notice where content was removed
    approval:
      by: "Head of Intelligence, Southvale Police"
      on: {produced}
      rationale: "Briefing for councillors on the scope and impact of serious and organised crime in their wards."
  bordering-forces:
    name: "Bordering forces"
    classification: OFFICIAL-SENSITIVE
    approval:
      by: "Head of Intelligence, Southvale Police"
      on: {produced}
      rationale: "Cross-border county lines and exploitation shared with neighbouring forces."
"#;

/// The authoring guide, written beside the new profile's brief.yaml.
pub const AUTHORING: &str = include_str!("../docs/AUTHORING.md");

const INTRODUCTION: &str = r#"---
title: "Introduction"
classification: OFFICIAL
audience: [all]
summary: "What this profile is for, who it is shared with, and how to read its markings."
weight: 1
owner: "Southvale Police Intelligence"
updated: {produced}
---

This Local Profile describes the threat from serious and organised crime in Southvale, the places and people most vulnerable to it, and what the partnership recommends doing about it.

## How to read this profile

Every page shows its security marking at the top and the bottom. Each audience receives its own edition: content that an audience may not see is removed before the edition is built.

Start with the [threat overview](threats/overview.md), then read the [drugs supply](threats/drugs.md#county-lines) assessment and the picture in [Northtown](places/northtown.md).
"#;

const OVERVIEW: &str = r#"---
title: "Threat overview"
classification: OFFICIAL
audience: [all]
summary: "Each threat area of the guide (3.4), assessed for Southvale."
threats: [drugs, people-trafficking, firearms, illegal-immigration, modern-slavery, fraud, counterfeit-goods, acquisitive-crime, cyber-crime, cse]
weight: 10
owner: "Southvale Police Intelligence"
updated: {produced}
---

| Threat area | Assessment | Trend |
|---|---|---|
| Drugs | High | Stable |
| People trafficking | Moderate | Rising |
| Firearms | Low | Stable |
| Organised illegal immigration | Low | Stable |
| Modern slavery | Moderate | Rising |
| Fraud and financial crime | High | Rising |
| Counterfeit goods | Low | Falling |
| Organised acquisitive crime | Moderate | Stable |
| Cyber crime | Moderate | Rising |
| Child sexual exploitation | Moderate | Stable |

Threats assessed as low are listed so that readers know they were considered.
"#;

const DRUGS: &str = r#"---
title: "Drugs supply and county lines"
classification: OFFICIAL
audience: [all]
summary: "Class A drugs supply, the county lines that feed it, and the exploitation of children."
threats: [drugs, cse]
areas: [Northtown, Eastport]
weight: 20
owner: "Southvale Police Intelligence"
updated: {produced}
sources:
  - {name: "OCG Mapping", cleared_for: [partnership, elected-members, bordering-forces]}
  - {name: "Drug treatment service data"}
recommendations:
  - id: R1
    strand: pursue
    text: "Target the highest-harm county lines into Northtown through joint operations with neighbouring forces."
    owner: "Southvale Police Serious and Organised Crime Unit"
    due: {due}
    status: in-progress
    measures:                   # how its impact is measured: from a baseline towards a target, by dated readings
      - name: "County lines active into Northtown"
        unit: "lines"
        baseline: {value: 11, date: {baseline}}
        target: {value: 7, date: {due}}        # below the baseline: lower is better
        readings:
          - {value: 10, date: {reading}, source: "Southvale Police county lines hub return"}
      - name: "Line holders charged"
        unit: "people"
        baseline: {value: 0, date: {baseline}}
        target: {value: 6, date: {due}}
        readings:
          - {value: 2, date: {reading}, source: "Southvale Police case management"}
        audience: [partnership, bordering-forces]   # narrows the recommendation's audience
  - id: R2
    strand: prevent
    text: "Offer every child found running drugs a referral to the exploitation hub within 48 hours."
    owner: "Southvale Children's Services"
    due: {due}
    status: open
    measures:
      - name: "Children referred within 48 hours"
        unit: "%"
        baseline: {value: 40, date: {baseline}}
        target: {value: 90, date: {due}}
        readings:
          - {value: 55, date: {reading}, source: "Southvale exploitation hub"}
  - id: R3
    strand: protect
    text: "Brief bordering forces' missing-person teams on the main return routes."
    owner: "Southvale Police Intelligence"
    due: {due}
    status: open
    audience: [partnership, bordering-forces]   # narrows the section's audience
    measures:
      - name: "Missing-person teams briefed"
        unit: "teams"
        baseline: {value: 0, date: {baseline}}
        target: {value: 4, date: {due}}
        readings:
          - {value: 1, date: {reading}, source: "Southvale Police Intelligence"}
---

## Overview

Drugs supply is the most harmful serious and organised crime threat in Southvale. Crack cocaine and heroin markets are concentrated in [Northtown](../places/northtown.md) and Eastport.

## County lines

Eleven county lines were identified operating into Southvale this year. The largest group is led by [Subject A, aged 34, of Northtown]{audience="partnership"}[a local man]{otherwise}.

:::: {audience="partnership bordering-forces" classification="OFFICIAL-SENSITIVE"}
### Operational picture

This block is seen by the partnership and bordering forces only, and marks the page OFFICIAL-SENSITIVE in their editions.

::: {audience="partnership" handling="PERSONAL DATA"}
#### Named individuals

Blocks nest: use more colons for the outer block than the inner one. This inner block is for the partnership alone and carries a handling caveat.
:::
::::

::: {audience="elected-members"}
Councillors can support the partnership by reporting concerns about cuckooing through the council's safeguarding line.
:::
"#;

const NORTHTOWN: &str = r#"---
title: "Northtown"
classification: OFFICIAL
audience: [all]
summary: "The priority location with the most county lines activity."
threats: [drugs, modern-slavery]
areas: [Northtown]
weight: 30
owner: "Southvale Council Community Safety"
updated: {produced}
---

Northtown has the highest concentration of drugs supply and exploitation in Southvale.

![Map of Northtown showing three hotspots around the station, the retail park and the Moorside estate](northtown-hotspots.png)

## Cuckooing

Vulnerable tenants' homes are taken over as bases for dealing. Housing officers should report concerns through the exploitation hub.
"#;

const EXPLOITATION: &str = r#"---
title: "Labour exploitation at car washes"
classification: OFFICIAL-SENSITIVE
audience: [partnership, bordering-forces]
handling: [RECIPIENTS ONLY]
summary: "Modern slavery in hand car washes along the A31 corridor."
threats: [modern-slavery, people-trafficking]
areas: [Eastport]
weight: 40
owner: "Southvale Police Modern Slavery Unit"
updated: {produced}
sources:
  - {name: "Gangmasters and Labour Abuse Authority referrals", cleared_for: [partnership]}
---

This whole section is OFFICIAL-SENSITIVE with a handling caveat. One of its sources is cleared for the partnership only, so the bordering forces' edition leaves the section out even though they are in its audience.

Read with the [drugs supply](../threats/drugs.md) assessment.
"#;

/// A small map-like picture, made at run time so no binary file is kept in the source.
fn hotspot_map() -> Result<Vec<u8>, image::ImageError> {
    let (w, h) = (480u32, 300u32);
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let spots = [(120.0, 90.0, 38.0), (300.0, 170.0, 52.0), (390.0, 70.0, 30.0)];
        for (cx, cy, r) in spots {
            let d = ((fx - cx).powi(2) + (fy - cy).powi(2)).sqrt();
            if d < r {
                return image::Rgb([212, 53, 28]);
            }
            if d < r + 3.0 {
                return image::Rgb([11, 12, 12]);
            }
        }
        if (y as i32 - (x as i32) / 2 - 40).abs() < 4 || (x as i32 - 250).abs() < 3 {
            return image::Rgb([120, 120, 120]);
        }
        if (x / 40 + y / 40) % 2 == 0 {
            image::Rgb([233, 240, 228])
        } else {
            image::Rgb([222, 233, 216])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)?;
    Ok(out.into_inner())
}

/// The starter's files: path relative to the new profile, and bytes.
pub fn files(today: Date) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
    let produced = today.to_string();
    let review_by = Date::from_days(today.days() + 364).to_string();
    let due = Date::from_days(today.days() + 182).to_string();
    let baseline = Date::from_days(today.days() - 90).to_string();
    let reading = Date::from_days(today.days() - 30).to_string();
    let fill = |t: &str| {
        t.replace("{produced}", &produced)
            .replace("{review_by}", &review_by)
            .replace("{due}", &due)
            .replace("{baseline}", &baseline)
            .replace("{reading}", &reading)
    };
    let mut out: Vec<(PathBuf, Vec<u8>)> = [
        ("brief.yaml", CONFIG),
        ("content/introduction.md", INTRODUCTION),
        ("content/threats/overview.md", OVERVIEW),
        ("content/threats/drugs.md", DRUGS),
        ("content/threats/labour-exploitation.md", EXPLOITATION),
        ("content/places/northtown.md", NORTHTOWN),
    ]
    .iter()
    .map(|(p, t)| (PathBuf::from(p), fill(t).into_bytes()))
    .collect();
    out.push((PathBuf::from("content/places/northtown-hotspots.png"), hotspot_map().map_err(|e| e.to_string())?));
    out.push((PathBuf::from(".gitignore"), b"/public\n/reports\n".to_vec()));
    out.push((PathBuf::from("AUTHORING.md"), AUTHORING.as_bytes().to_vec()));
    Ok(out)
}

/// Write a starter profile into `dir`, which must be missing or empty.
pub fn new_profile(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let io = |p: &Path, e: std::io::Error| Diagnostic::error(p, 0, e.to_string(), "check you may write there");
    if dir.exists() {
        if !dir.is_dir() {
            return Err(Diagnostic::error(dir, 0, "is a file, not a folder", "choose a new folder name"));
        }
        let empty = std::fs::read_dir(dir).map_err(|e| io(dir, e))?.next().is_none();
        if !empty {
            return Err(Diagnostic::error(
                dir,
                0,
                "refusing to write a new profile into a folder that is not empty",
                "choose a new folder name, or empty this one first",
            ));
        }
    }
    let files = files(Date::today()).map_err(|e| Diagnostic::error(dir, 0, e, "this is a bug in brief"))?;
    let mut written = Vec::new();
    for (rel, bytes) in files {
        let full = dir.join(&rel);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        }
        std::fs::write(&full, bytes).map_err(|e| io(&full, e))?;
        written.push(rel);
    }
    Ok(written)
}

//! Server configurations for hosting an edition, written by every build to
//! `reports/hosting/<edition>/` (never inside `public/`): `nginx.conf` (a
//! `server` block), `.htaccess` (Apache) and `web.config` (IIS). Each sends
//! the headers `brief serve` sends (Content-Security-Policy with
//! `frame-ancestors 'none'`, `nosniff`, `Referrer-Policy: no-referrer`,
//! `X-Frame-Options: DENY`), lists no folder, gives scripts and
//! stylesheets their MIME types, serves no hidden file, and marks the place
//! for the site's access control.

use crate::diagnostic::Diagnostic;
use crate::write::{DirSink, Sink};
use std::path::Path;

/// The policy every page carries, as a header, with framing refused.
pub fn csp() -> String {
    format!("{}; frame-ancestors 'none'", crate::site::CSP)
}

const TYPES: [(&str, &str); 11] = [
    ("html", "text/html"),
    ("css", "text/css"),
    ("js", "text/javascript"),
    ("json", "application/json"),
    ("csv", "text/csv"),
    ("txt", "text/plain"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
    ("pdf", "application/pdf"),
];

fn access_control_note(comment: &str, example: &str) -> String {
    let lines = [
        "================= ACCESS CONTROL: PUT IT HERE =================",
        "This edition may be seen only by its audience. Before serving it,",
        "put the site's authentication (single sign-on, client",
        "certificates, basic authentication over TLS) and/or IP allow-list",
        "here. Nothing below restricts who can read it.",
    ];
    let mut out: String = lines.iter().map(|l| format!("{comment} {l}\n")).collect();
    out.push_str(&format!("{comment} For example:\n"));
    for l in example.lines() {
        out.push_str(&format!("{comment}   {l}\n"));
    }
    out.push_str(&format!("{comment} ===============================================================\n"));
    out
}

/// A `server` block: include it from nginx's `http` block (e.g. in /etc/nginx/conf.d/).
pub fn nginx(edition: &str, name: &str, root: &Path) -> String {
    let types: String = TYPES.iter().map(|(e, t)| format!("        {t} {e};\n")).collect();
    format!(
        "# Brief: serves the `{edition}` edition ({name}).\n\
         # Written by `brief build`; rebuilt each time. Include this file from the\n\
         # http block of nginx.conf, set `listen` and `server_name`, and add TLS.\n\
         server {{\n    listen 127.0.0.1:8080;\n    server_name _;\n    root \"{root}\";\n    index index.html;\n    autoindex off;\n    disable_symlinks on;\n    server_tokens off;\n\n\
         {access}\n    types {{\n{types}        image/jpeg jpeg;\n    }}\n    default_type application/octet-stream;\n    charset utf-8;\n    charset_types text/css text/javascript text/csv text/plain application/json;\n\n\
         \x20   add_header Content-Security-Policy \"{csp}\" always;\n    add_header X-Content-Type-Options \"nosniff\" always;\n    add_header Referrer-Policy \"no-referrer\" always;\n    add_header X-Frame-Options \"DENY\" always;\n    add_header Cache-Control \"no-store\" always;\n\n\
         \x20   # Hidden files (.htaccess, .brief-output) are never served.\n    location ~ /\\. {{\n        return 404;\n    }}\n    location / {{\n        try_files $uri $uri/ =404;\n    }}\n}}\n",
        root = root.display(),
        access = access_control_note("    #", "allow 10.20.0.0/16;\ndeny all;\nauth_basic \"Northshire SOC profile\";\nauth_basic_user_file /etc/nginx/soc-profile.htpasswd;"),
        csp = csp(),
    )
}

/// Apache: copy into the edition's folder on the server (needs `AllowOverride All` and mod_headers).
pub fn htaccess(edition: &str, name: &str) -> String {
    let types: String = TYPES.iter().map(|(e, t)| format!("AddType {t} .{e}\n")).collect();
    format!(
        "# Brief: serves the `{edition}` edition ({name}) with Apache httpd.\n\
         # Written by `brief build`. Copy it into the edition's folder on the server;\n\
         # it needs `AllowOverride All` and mod_headers (without them Apache refuses\n\
         # to serve, rather than serving without the headers).\n\n\
         {access}\n\
         Options -Indexes -MultiViews\nDirectoryIndex index.html\n{types}AddType image/jpeg .jpeg\nAddDefaultCharset utf-8\nAddCharset utf-8 .css .js .csv .txt .json\n\n\
         Header always set Content-Security-Policy \"{csp}\"\nHeader always set X-Content-Type-Options \"nosniff\"\nHeader always set Referrer-Policy \"no-referrer\"\nHeader always set X-Frame-Options \"DENY\"\nHeader always set Cache-Control \"no-store\"\n\n\
         # Hidden files (this one, .brief-output) are never served.\n<FilesMatch \"^\\.\">\n    Require all denied\n</FilesMatch>\n",
        access = access_control_note("#", "Require ip 10.20.0.0/16\n# or: AuthType Basic, AuthName, AuthUserFile, Require valid-user"),
        csp = csp(),
    )
}

/// IIS: copy into the edition's folder on the server.
pub fn web_config(edition: &str, name: &str) -> String {
    let esc = crate::render::escape;
    let types: String = TYPES
        .iter()
        .filter(|(e, _)| !["html", "png", "jpg", "gif", "pdf", "txt"].contains(e))
        .map(|(e, t)| format!("      <remove fileExtension=\".{e}\" />\n      <mimeMap fileExtension=\".{e}\" mimeType=\"{t}; charset=utf-8\" />\n"))
        .collect::<String>()
        .replace("image/webp; charset=utf-8", "image/webp");
    let access: String = access_control_note("", "inside <security> below:\n<ipSecurity allowUnlisted=\"false\">\n  <add ipAddress=\"10.20.0.0\" subnetMask=\"255.255.0.0\" allowed=\"true\" />\n</ipSecurity>\nand Windows authentication under <authentication>");
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- Brief: serves the `{}` edition ({}) with IIS. Written by `brief build`.\n     Copy it into the edition's folder on the server. -->\n<configuration>\n  <system.webServer>\n\
         \x20   <directoryBrowse enabled=\"false\" />\n    <defaultDocument enabled=\"true\">\n      <files>\n        <clear />\n        <add value=\"index.html\" />\n      </files>\n    </defaultDocument>\n    <staticContent>\n{types}    </staticContent>\n\
         \x20   <httpProtocol>\n      <customHeaders>\n        <remove name=\"X-Powered-By\" />\n        <add name=\"Content-Security-Policy\" value=\"{}\" />\n        <add name=\"X-Content-Type-Options\" value=\"nosniff\" />\n        <add name=\"Referrer-Policy\" value=\"no-referrer\" />\n        <add name=\"X-Frame-Options\" value=\"DENY\" />\n        <add name=\"Cache-Control\" value=\"no-store\" />\n      </customHeaders>\n    </httpProtocol>\n\
         \x20   <!--\n{}    -->\n    <security>\n      <requestFiltering>\n        <hiddenSegments>\n          <add segment=\"web.config\" />\n          <add segment=\".brief-output\" />\n        </hiddenSegments>\n      </requestFiltering>\n    </security>\n  </system.webServer>\n</configuration>\n",
        esc(edition),
        esc(name),
        esc(&csp()),
        access.replace("--", "- -").lines().map(|l| format!("      {l}\n")).collect::<String>(),
    )
}

/// All three, for every edition, into `reports/hosting/<edition>/`; `out` is where the editions will be.
pub fn write(editions: &[(String, String)], reports: &Path, out: &Path) -> Result<(), Diagnostic> {
    let out = crate::write::resolved(out);
    for (id, name) in editions {
        let sink = DirSink::new(reports.join("hosting").join(id));
        sink.put("nginx.conf", nginx(id, name, &out.join(id)).into_bytes())?;
        sink.put(".htaccess", htaccess(id, name).into_bytes())?;
        sink.put("web.config", web_config(id, name).into_bytes())?;
    }
    Ok(())
}

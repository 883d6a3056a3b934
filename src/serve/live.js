// gotong serve: live reload and the error overlay. Injected into pages by
// the preview server only; `gotong build` output never contains it.
(() => {
  "use strict";
  const events = new EventSource("/__gotong/events");
  const OVERLAY = "gotong-errors";

  function hide() {
    const old = document.getElementById(OVERLAY);
    if (old) old.remove();
  }

  function show(list) {
    hide();
    const box = document.createElement("div");
    box.id = OVERLAY;
    box.setAttribute("role", "alert");
    box.style.cssText =
      "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "background:#2b0b0b;color:#fff;font:14px/1.45 ui-monospace,monospace;padding:1rem 1.25rem;" +
      "border-top:4px solid #e5484d;box-shadow:0 -4px 24px rgba(0,0,0,.4)";
    const title = document.createElement("strong");
    title.textContent = "gotong: " + list.length + " problem" + (list.length === 1 ? "" : "s") +
      " — still showing the last good build";
    box.appendChild(title);
    for (const d of list) {
      const item = document.createElement("div");
      item.style.marginTop = ".75rem";
      const where = document.createElement("div");
      where.style.color = "#ffb4b4";
      where.textContent = d.path + (d.line ? ":" + d.line + (d.column ? ":" + d.column : "") : "");
      const msg = document.createElement("div");
      msg.textContent = d.severity + ": " + d.message;
      item.append(where, msg);
      if (d.source_line) {
        const pre = document.createElement("pre");
        pre.style.cssText = "margin:.25rem 0 0;color:#ddd;white-space:pre-wrap";
        pre.textContent = (d.line || "") + " | " + d.source_line;
        item.appendChild(pre);
      }
      box.appendChild(item);
    }
    document.body.appendChild(box);
  }

  events.addEventListener("reload", () => location.reload());
  events.addEventListener("css", () => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("gotong", Date.now().toString());
      link.href = url.href;
    }
    hide();
  });
  events.addEventListener("errors", (e) => show(JSON.parse(e.data)));
  events.addEventListener("ok", () => {
    if (document.getElementById(OVERLAY)) location.reload();
  });
})();

"""A tiny SCORM 1.2 package of our own, built in code, for the demo course and the tests.

One SCO of two pages about the white paper's four goals and a one-question check: it bookmarks the page it shows
(``cmi.core.lesson_location``), keeps the answer in ``cmi.suspend_data``, and on answering reports a score and
``passed``/``failed`` against its mastery score. Written by us (no third-party content), in both languages.
"""

import io
import zipfile

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="tw.ie-academy.demo.scorm12" version="1"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>{title}</title>
      <item identifier="goals_item" identifierref="goals">
        <title>{title}</title>
        <adlcp:masteryscore>{mastery}</adlcp:masteryscore>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="goals" type="webcontent" adlcp:scormtype="sco" href="index.html">
      <file href="index.html"/><file href="sco.js"/>
    </resource>
  </resources>
</manifest>
"""

PAGE = """<!DOCTYPE html>
<html lang="zh-Hant"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;margin:1.5rem;line-height:1.6}} button{{font-size:1rem;margin:.25rem}}</style>
</head><body>
<main>
<section data-page="1"><h1>{title}</h1>
<p>國際教育 2.0 的四個目標：培育全球公民、促進國際交流、推動學校國際化、提升教師專業。</p>
<p lang="en">The four goals of International Education 2.0: global citizens, exchange, internationalised schools,
teachers' professional growth.</p>
<button type="button" data-go="2">下一頁 Next</button></section>
<section data-page="2" hidden><h2>小測驗 Check</h2>
<p id="question">國際教育 2.0 有幾個目標？ How many goals does International Education 2.0 have?</p>
<div role="group" aria-labelledby="question">
<button type="button" data-answer="3">3</button><button type="button" data-answer="4">4</button>
</div>
<p data-result role="status"></p>
<button type="button" data-go="1">上一頁 Previous</button></section>
</main>
<script src="sco.js"></script>
</body></html>
"""

SCRIPT = """(function () {
  'use strict';
  function findAPI(win) {
    for (var tries = 0; win && tries < 10; tries++) {
      if (win.API) { return win.API; }
      if (win.parent === win) { break; }
      win = win.parent;
    }
    return null;
  }
  var api = findAPI(window);
  if (!api) { return; }
  api.LMSInitialize('');
  if (api.LMSGetValue('cmi.core.lesson_status') === 'not attempted') {
    api.LMSSetValue('cmi.core.lesson_status', 'incomplete');
  }
  function show(page) {
    document.querySelectorAll('[data-page]').forEach(function (section) {
      section.hidden = section.dataset.page !== String(page);
    });
    api.LMSSetValue('cmi.core.lesson_location', String(page));
    api.LMSCommit('');
  }
  document.querySelectorAll('[data-go]').forEach(function (button) {
    button.addEventListener('click', function () { show(button.dataset.go); });
  });
  document.querySelectorAll('[data-answer]').forEach(function (button) {
    button.addEventListener('click', function () {
      var right = button.dataset.answer === '4';
      api.LMSSetValue('cmi.suspend_data', 'answer=' + button.dataset.answer);
      api.LMSSetValue('cmi.core.score.min', '0');
      api.LMSSetValue('cmi.core.score.max', '100');
      api.LMSSetValue('cmi.core.score.raw', right ? '100' : '0');
      api.LMSSetValue('cmi.core.lesson_status', right ? 'passed' : 'failed');
      document.querySelector('[data-result]').textContent = right ? '答對了 Correct' : '再想想 Try again';
      api.LMSCommit('');
    });
  });
  window.addEventListener('pagehide', function () { api.LMSFinish(''); });
  show(api.LMSGetValue('cmi.core.lesson_location') || '1');
})();
"""


def build_demo_package(title="國際教育 2.0 的四個目標", mastery=80) -> bytes:
    """The zip of the demo SCORM 1.2 package: the same bytes every time, so loading the demo twice stores it once."""
    buffer = io.BytesIO()
    files = {
        "imsmanifest.xml": MANIFEST.format(title=title, mastery=mastery),
        "index.html": PAGE.format(title=title),
        "sco.js": SCRIPT,
    }
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()

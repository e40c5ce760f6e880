// Checks every catalogue in static/js/locales/ against the English one in static/js/i18n.js and
// prints what is wrong as JSON (tests/test_catalogues.py runs it). Node's Intl gives each
// language's plural categories, as the browser does.
//
//   node tests/catalogues.mjs [locales dir]  ->  {"languages", "shipped", "problems", "english"}

import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const STATIC = join(dirname(fileURLToPath(import.meta.url)), "..", "static", "js");

// The files have no imports, so each can be loaded as a module from its own text.
async function load(path) {
  const text = readFileSync(path, "utf8");
  return import(`data:text/javascript;charset=utf-8,${encodeURIComponent(text)}`);
}

const placeholders = (text) => new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
const same = (a, b) => a.size === b.size && [...a].every((x) => b.has(x));
const show = (set) => [...set].sort().join(",") || "none";

/** Numbers from 0 to 200 that a language's plural rules put in the category "one". */
function onesOf(lang) {
  const rules = new Intl.PluralRules(lang);
  return Array.from({ length: 201 }, (_, n) => n).filter((n) => rules.select(n) === "one");
}

function check(lang, en, catalogue) {
  const problems = [];
  const say = (key, what) => problems.push(`${lang}: ${key}: ${what}`);
  const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
  const onlyOneIsOne = onesOf(lang).join() === "1";
  for (const key of Object.keys(en)) if (!(key in catalogue)) say(key, "missing");
  for (const key of Object.keys(catalogue)) if (!(key in en)) say(key, "not in the English catalogue");
  for (const [key, english] of Object.entries(en)) {
    const message = catalogue[key];
    if (message === undefined) continue;
    if (typeof english === "string") {
      if (typeof message !== "string") { say(key, "a plural object where English has a string"); continue; }
      if (english && !message.trim()) say(key, "empty");
      if (!same(placeholders(english), placeholders(message))) {
        say(key, `placeholders {${show(placeholders(message))}}, English has {${show(placeholders(english))}}`);
      }
      if (english.includes("hackrooms") && !message.includes("hackrooms")) say(key, "the brand hackrooms is lost");
      continue;
    }
    if (typeof message !== "object" || message === null) { say(key, "a string where English has plural forms"); continue; }
    const wanted = new Set(Object.values(english).flatMap((m) => [...placeholders(m)]));
    for (const category of categories) if (!(category in message)) say(key, `plural form "${category}" missing`);
    for (const [form, text] of Object.entries(message)) {
      if (!categories.includes(form)) { say(key, `plural form "${form}" is not a category of ${lang}`); continue; }
      if (typeof text !== "string" || !text.trim()) { say(key, `plural form "${form}" empty`); continue; }
      const got = placeholders(text);
      for (const name of got) if (!wanted.has(name)) say(key, `plural form "${form}" has {${name}}, English has not`);
      // A form may leave out {count} only where it stands for one number (English "one": 1).
      const mayDropCount = form === "one" && onlyOneIsOne;
      for (const name of wanted) {
        if (!got.has(name) && !(name === "count" && mayDropCount)) say(key, `plural form "${form}" lacks {${name}}`);
      }
    }
  }
  return problems;
}

const { en, SHIPPED } = await load(join(STATIC, "i18n.js"));
const LOCALES = process.argv[2] || join(STATIC, "locales");  // another folder: the checker's own test
const languages = readdirSync(LOCALES).filter((f) => f.endsWith(".js")).map((f) => f.slice(0, -3)).sort();
const problems = [];
for (const lang of languages) {
  const mod = await load(join(LOCALES, `${lang}.js`));
  if (!mod.default) problems.push(`${lang}: no default export`);
  else problems.push(...check(lang, en, mod.default));
}
const english = Object.fromEntries(Object.entries(en).map(([k, v]) => [k, typeof v === "string" ? "string" : Object.keys(v)]));
console.log(JSON.stringify({ languages, shipped: SHIPPED, problems, english }));

// Reads a live Masthead with Ghost's official Content API client and prints what it got as
// JSON, for tests/exchange/test_content_api_client.py to check.
// Usage: node read_site.js URL KEY [BADKEY]
"use strict";
const GhostContentAPI = require("@tryghost/content-api");

async function main() {
  const [url, key, badKey] = process.argv.slice(2);
  const api = new GhostContentAPI({ url, key, version: "v5.0" });
  const out = {};

  const first = await api.posts.browse({ limit: 2, include: "tags,authors" });
  out.firstPage = { slugs: first.map((p) => p.slug), meta: first.meta, sample: first[0] };
  const second = await api.posts.browse({ limit: 2, page: 2 });
  out.secondPage = { slugs: second.map((p) => p.slug), meta: second.meta };

  const all = await api.posts.browse({ limit: "all", fields: "slug,title" });
  out.all = { slugs: all.map((p) => p.slug), keys: Object.keys(all[0] || {}).sort() };

  const tagged = await api.posts.browse({ filter: "tag:security+featured:true", include: "tags" });
  out.taggedFeatured = tagged.map((p) => p.slug);
  const either = await api.posts.browse({ filter: "tag:[security,ai]", limit: "all" });
  out.eitherTag = either.map((p) => p.slug);
  const byAuthor = await api.posts.browse({ filter: "author:ada", limit: "all" });
  out.byAuthor = byAuthor.map((p) => p.slug);
  const ordered = await api.posts.browse({ order: "title asc", limit: "all", fields: "title" });
  out.orderedTitles = ordered.map((p) => p.title);
  const plain = await api.posts.browse({ formats: "plaintext", limit: "all" });
  out.plaintext = Object.fromEntries(plain.map((p) => [p.slug, p.plaintext]));

  const one = await api.posts.read({ slug: out.all.slugs[0] }, { include: "authors" });
  out.readBySlug = { slug: one.slug, authors: (one.authors || []).map((a) => a.slug) };
  const byId = await api.posts.read({ id: one.id });
  out.readById = byId.slug;

  const tags = await api.tags.browse({ limit: "all", include: "count.posts" });
  out.tags = tags.map((t) => [t.slug, t.count && t.count.posts]);
  const tag = await api.tags.read({ slug: "security" });
  out.tag = tag.name;
  const authors = await api.authors.browse({ limit: "all" });
  out.authors = authors.map((a) => a.slug);
  const author = await api.authors.read({ slug: "ada" });
  out.author = author.name;
  const pages = await api.pages.browse();
  out.pages = { count: pages.length, meta: pages.meta };
  const settings = await api.settings.browse();
  out.settingsTitle = settings.title;

  try {
    await api.posts.read({ slug: "no-such-post" });
    out.missing = "no error";
  } catch (err) {
    out.missing = { name: err.name, message: err.message };
  }
  try {
    await api.posts.browse({ filter: "tag:(" });
    out.badFilter = "no error";
  } catch (err) {
    out.badFilter = { name: err.name, message: err.message };
  }
  if (badKey) {
    const other = new GhostContentAPI({ url, key: badKey, version: "v5.0" });
    try {
      await other.posts.browse();
      out.badKey = "no error";
    } catch (err) {
      out.badKey = { name: err.name, message: err.message };
    }
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((err) => {
  process.stderr.write(String((err && err.stack) || err) + "\n");
  process.exit(1);
});

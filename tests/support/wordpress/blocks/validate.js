// Parses every post and page of WordPress exports with WordPress 6.5's own block code and validates each
// block the way the block editor does when it opens the post.
//
//   node validate.js NAME=OUT_DIR [NAME=OUT_DIR ...]
//   node validate.js --json NAME=FILE.json      (FILE: a JSON list of {"id", "content"})
//
// OUT_DIR holds wordpress.xml (or wordpress-NNN.xml). Prints one JSON line per site:
// {"site", "posts", "blocks", "invalid", "freeform", "html", "resaved", "problems": [...first problems...],
//  "resave_diffs": [...]}.
// "resaved" counts the posts WordPress's own serializer writes back byte for byte (parse, then serialize).
// The @wordpress packages come from the folder .ci/install.sh installs package.json into (NODE_PATH).
'use strict';

const fs = require('fs');
const path = require('path');
const { JSDOM } = require('jsdom');

const dom = new JSDOM('<!doctype html><html><body></body></html>', { url: 'http://localhost/' });
const win = dom.window;
// The browser globals the editor packages read when they load.
global.window = win;
for (const name of ['document', 'navigator', 'Node', 'Element', 'HTMLElement', 'DOMParser', 'MutationObserver',
  'getComputedStyle', 'CustomEvent', 'Event', 'Range', 'DocumentFragment', 'NodeFilter', 'Text']) {
  if (!(name in global)) global[name] = win[name];
}
win.matchMedia = () => ({ matches: false, addListener() {}, removeListener() {}, addEventListener() {}, removeEventListener() {} });
global.matchMedia = win.matchMedia;
global.requestAnimationFrame = win.requestAnimationFrame = (cb) => setTimeout(cb, 0);
global.cancelAnimationFrame = win.cancelAnimationFrame = (id) => clearTimeout(id);
// As in wp-admin, where the classic editor script is loaded: registerCoreBlocks then registers core/freeform
// and makes it the handler of content outside any block, so "Classic" blocks are seen as such.
win.wp = { oldEditor: {} };

const blocks = require('@wordpress/blocks');
require('@wordpress/block-library').registerCoreBlocks();

const FREEFORM = new Set(['core/freeform', 'core/missing']);

function items(xml) {
  const out = [];
  for (const match of xml.matchAll(/<item>([\s\S]*?)<\/item>/g)) {
    const item = match[1];
    const type = /<wp:post_type><!\[CDATA\[(.*?)\]\]><\/wp:post_type>/.exec(item);
    if (!type || !['post', 'page'].includes(type[1])) continue;
    const id = /<wp:post_id>(\d+)<\/wp:post_id>/.exec(item)[1];
    const body = /<content:encoded>([\s\S]*?)<\/content:encoded>/.exec(item);
    let content = '';
    if (body) {
      for (const part of body[1].matchAll(/<!\[CDATA\[([\s\S]*?)\]\]>/g)) content += part[1];
    }
    out.push({ id, content });
  }
  return out;
}

function walk(list, visit) {
  for (const block of list) {
    visit(block);
    walk(block.innerBlocks || [], visit);
  }
}

function issueText(issue) {
  // Messages are printf-like: fill %s and %o with the arguments (a block type object only by its name).
  const [format, ...args] = issue.args;
  let n = 0;
  return String(format).replace(/%[so]/g, () => {
    const arg = args[n++];
    if (typeof arg === 'string') return arg;
    if (arg && typeof arg === 'object' && arg.name && arg.attributes) return arg.name;
    return JSON.stringify(arg);
  }).slice(0, 3000);
}

function sitePosts(dir) {
  const files = fs.readdirSync(dir).filter((f) => /^wordpress(-\d+)?\.xml$/.test(f)).sort();
  return files.flatMap((file) => items(fs.readFileSync(path.join(dir, file), 'utf8')));
}

function checkSite(name, posts) {
  const result = { site: name, posts: 0, blocks: 0, invalid: 0, freeform: 0, html: 0, resaved: 0, problems: [], resave_diffs: [] };
  {
    for (const post of posts) {
      result.posts += 1;
      const parsed = blocks.parse(post.content);
      const resaved = blocks.serialize(parsed);
      if (resaved === post.content) result.resaved += 1;
      else if (result.resave_diffs.length < 5) result.resave_diffs.push({ post: post.id, resaved: resaved.slice(0, 1500) });
      walk(parsed, (block) => {
        result.blocks += 1;
        if (FREEFORM.has(block.name)) {
          result.freeform += 1;
          if (result.problems.length < 20) result.problems.push({ post: post.id, block: block.name, html: block.originalContent.slice(0, 500) });
        } else if (block.name === 'core/html') {
          result.html += 1;
        }
        if (block.isValid === false) {
          result.invalid += 1;
          if (result.problems.length < 20) {
            result.problems.push({
              post: post.id,
              block: block.name,
              issues: (block.validationIssues || []).map(issueText),
              html: block.originalContent.slice(0, 1500),
            });
          }
        }
      });
    }
  }
  return result;
}

// The validator logs each mismatch on the console as well; the report carries them instead.
for (const level of ['log', 'info', 'warn', 'error', 'group', 'groupCollapsed', 'groupEnd']) console[level] = () => {};
let json = false;
for (const arg of process.argv.slice(2)) {
  if (arg === '--json') {
    json = true;
    continue;
  }
  const at = arg.indexOf('=');
  const where = arg.slice(at + 1);
  const posts = json ? JSON.parse(fs.readFileSync(where, 'utf8')) : sitePosts(where);
  process.stdout.write(JSON.stringify(checkSite(arg.slice(0, at), posts)) + '\n');
}

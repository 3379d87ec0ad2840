// The live status page: one section per camera, updated by the server's push feed (/events).
'use strict';

// azcam's exposure colours (its get_status "exposurecolor"); WRITING is the end of the readout.
const STATE_COLOURS = { EXPOSING: 'green', READOUT: 'red', WRITING: 'red', SETUP: 'cyan' };
const HOUR_MS = 3600 * 1000;
const HISTORY_STEP_MS = 10 * 1000;

const sections = new Map(); // camera name -> { root, prefix, history }

function field(root, name) {
  return root.querySelector(`[data-field="${name}"]`);
}

function text(value) {
  if (value === undefined || value === null) return '';
  return Array.isArray(value) ? value.join(' ') : String(value);
}

function toolName(prefix, tool) {
  return prefix ? `${prefix}.${tool}` : tool;
}

function createSection(camera, prefix, imageTypes, history) {
  const root = document.getElementById('camera-template').content.firstElementChild.cloneNode(true);
  root.dataset.camera = camera;
  root.querySelector('.camera-name').textContent = camera;
  const select = root.querySelector('select[name="type"]');
  for (const type of imageTypes) select.append(new Option(type, type));
  const form = root.querySelector('form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    command(root, prefix, 'expose1', [data.get('time'), data.get('type'), data.get('title')]);
  });
  form.querySelector('button[name="abort"]').addEventListener('click', () => command(root, prefix, 'abort', []));
  document.getElementById('cameras').append(root);
  sections.set(camera, { root, prefix, history: history || [] });
}

/** Runs an exposure command through the web API (POST with a JSON body) and shows its reply. */
async function command(root, prefix, name, args) {
  const out = field(root, 'formReply');
  out.className = 'form-reply';
  out.textContent = `${name}…`;
  try {
    const response = await fetch('/api', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tool: toolName(prefix, 'exposure'), command: name, args, kwargs: {} }),
    });
    const body = await response.json();
    out.textContent = body.reply;
    if (!response.ok) out.classList.add('error');
  } catch (error) {
    out.textContent = `ERROR ${error.message}`;
    out.classList.add('error');
  }
}

/** The form starts from the camera's current settings. */
function fillForm(root, snapshot) {
  const form = root.querySelector('form');
  form.elements.time.value = text(snapshot.exposureTime) || '1';
  form.elements.type.value = text(snapshot.imageType);
  form.elements.title.value = text(snapshot.imageTitle);
}

function progressLabel(status) {
  switch (status.exposurestate) {
    case 'EXPOSING': return `${Number(status.timeleft).toFixed(1)} sec remaining`;
    case 'READOUT': return `${status.progressbar}% readout`;
    case 'WRITING': return 'writing';
    case 'SETUP': return 'exposure setup';
    default: return '';
  }
}

function update(snapshot) {
  const section = sections.get(snapshot.camera);
  if (!section) return;
  const { root } = section;
  if (!section.formFilled) fillForm(root, snapshot);
  section.formFilled = true;
  const status = snapshot.status || {};
  const state = status.exposurestate || 'NONE';
  const colour = status.exposurecolor || STATE_COLOURS[state] || 'transparent';
  const badge = field(root, 'state');
  badge.textContent = state;
  badge.style.background = colour;
  badge.style.color = colour === 'transparent' || colour === 'cyan' ? 'inherit' : '#fff';
  const bar = field(root, 'progressbar');
  const busy = state !== 'NONE';
  bar.style.width = `${busy ? status.progressbar : 0}%`;
  bar.style.background = colour;
  bar.textContent = progressLabel(status);
  bar.dataset.state = state;
  field(root, 'timeleft').textContent = state === 'EXPOSING' || state === 'PAUSED' ? `${Number(status.timeleft).toFixed(1)} s left` : '';
  field(root, 'filename').textContent = text(status.filename);
  field(root, 'message').textContent = text(status.message);
  for (const name of ['nextFilename', 'filter']) field(root, name).textContent = text(snapshot[name]);
  // As get_status has them: the running exposure's (a focus or test image's own), the camera's otherwise.
  field(root, 'imageTitle').textContent = text(status.imagetitle);
  field(root, 'imageType').textContent = text(status.imagetype);
  field(root, 'exposureTime').textContent = `${text(status.exposuretime)} s`;
  const t = snapshot.temperatures;
  for (const name of ['ccd', 'base', 'setpoint']) field(root, name).textContent = `${Number(t[name]).toFixed(2)} °C`;
  remember(section, snapshot.time, t);
  showLastImage(root, snapshot.lastImage);
}

function remember(section, time, t) {
  const last = section.history[section.history.length - 1];
  if (!last || time - last[0] >= HISTORY_STEP_MS) section.history.push([time, t.ccd, t.base, t.setpoint]);
  section.history = section.history.filter((point) => point[0] >= time - HOUR_MS);
  plot(section.root, section.history, time);
}

/** The last hour of CCD, base and set point as three lines, scaled to fit. */
function plot(root, history, now) {
  const values = history.flatMap((point) => point.slice(1)).filter(Number.isFinite);
  if (values.length === 0) return;
  const low = Math.min(...values) - 1;
  const high = Math.max(...values) + 1;
  const x = (time) => (300 * (time - (now - HOUR_MS))) / HOUR_MS;
  const y = (value) => 120 - (120 * (value - low)) / (high - low);
  ['ccd', 'base', 'setpoint'].forEach((name, index) => {
    const points = history.map((point) => `${x(point[0]).toFixed(1)},${y(point[index + 1]).toFixed(1)}`);
    root.querySelector(`.line-${name}`).setAttribute('points', points.join(' '));
  });
}

function showLastImage(root, image) {
  if (!image) return;
  field(root, 'lastFilename').textContent = image.filename;
  const preview = root.querySelector('.preview');
  if (image.preview && preview.dataset.src !== image.preview) {
    preview.dataset.src = image.preview;
    preview.src = image.preview;
    preview.hidden = false;
  }
  const table = root.querySelector('.stats');
  const rows = (image.stats || []).map((amp) => {
    const cells = [amp.amp, amp.biasLevel, amp.biasNoise, amp.mean, amp.stddev].map((value) => {
      const cell = document.createElement('td');
      cell.textContent = Number.isInteger(value) ? String(value) : Number(value).toFixed(2);
      return cell;
    });
    const row = document.createElement('tr');
    row.append(...cells);
    return row;
  });
  table.tBodies[0].replaceChildren(...rows);
  table.hidden = rows.length === 0;
}

function connect() {
  const indicator = document.getElementById('connection');
  const events = new EventSource('/events');
  events.addEventListener('hello', (event) => {
    const hello = JSON.parse(event.data);
    document.getElementById('cameras').replaceChildren();
    sections.clear();
    for (const { camera, prefix } of hello.cameras) createSection(camera, prefix, hello.imageTypes || [], (hello.history || {})[camera]);
  });
  events.addEventListener('status', (event) => {
    const snapshot = JSON.parse(event.data);
    for (const camera of snapshot.cameras) update({ ...camera, time: snapshot.time });
  });
  events.addEventListener('open', () => {
    indicator.textContent = 'live';
    indicator.classList.add('live');
  });
  // EventSource reconnects by itself (a restarted server sends a new hello).
  events.addEventListener('error', () => {
    indicator.textContent = 'reconnecting…';
    indicator.classList.remove('live');
  });
}

connect();

// ServiceReach web map. MapLibre GL from npm (copied into lib/ by the build); no external tiles: the base map is the
// project's own layers (municipalities and population cells as vector tiles from PostGIS, kernen and services as GeoJSON).
(function () {
  'use strict';
  const T = {
    nl: {
      subtitle: 'Basisvoorzieningen in het netwerk van kernen', isochrone: 'Isochronen', mode: 'Vervoerswijze', walk: 'te voet',
      rmwalk: 'te voet (beperkt mobiel)', bike: 'fiets', ebike: 'e-bike', buswalk: 'bus + te voet (mediaan over 30 min)', departure: 'Vertrek', draw: 'Klik op de kaart om te tekenen', clear: 'Wissen',
      exports: 'Lagen downloaden', apikey: 'API-sleutel (voor notities)', advice: 'Advies', reach: 'Bereik (minuten)', bus: 'Bus: vertrek',
      notes: 'Notities', author: 'auteur', note: 'lokale kennis', addnote: 'Notitie toevoegen', residents: 'inwoners', gap: 'tekortscore',
      category: 'voorziening', also: 'ook overwegen', clickmap: 'Klik nu op de kaart…', drawing: 'Isochroon berekenen…', nonotes: 'Nog geen notities.',
      saved: 'Opgeslagen.', needkey: 'Geef eerst een API-sleutel.', median: 'mediaan', legend: 'Tekortscore van de kern', services: 'Voorzieningen',
      Dorpspunt: 'Dorpspunt', Buurtkar: 'Buurtkar', MobieleDienst: 'Mobiele dienst', MobilityLink: 'Mobiliteitsverbinding', NothingNeeded: 'Niets nodig',
      Walk: 'te voet', ReducedMobilityWalk: 'beperkt mobiel', Bike: 'fiets', EBike: 'e-bike', BusWalk: 'bus',
    },
    en: {
      subtitle: 'Basic services across village networks', isochrone: 'Isochrones', mode: 'Mode', walk: 'walking', rmwalk: 'walking (reduced mobility)',
      bike: 'bicycle', ebike: 'e-bike', buswalk: 'bus + walking (median over 30 min)', departure: 'Departure', draw: 'Click the map to draw', clear: 'Clear', exports: 'Download layers', apikey: 'API key (for notes)',
      advice: 'Advice', reach: 'Reach (minutes)', bus: 'Bus: departure', notes: 'Notes', author: 'author', note: 'local knowledge', addnote: 'Add note',
      residents: 'residents', gap: 'gap score', category: 'service', also: 'also consider', clickmap: 'Now click the map…', drawing: 'Computing isochrone…',
      nonotes: 'No notes yet.', saved: 'Saved.', needkey: 'Enter an API key first.', median: 'median', legend: 'Gap score of the kern', services: 'Services',
      Dorpspunt: 'Village hub (dorpspunt)', Buurtkar: 'Mobile shop (buurtkar)', MobieleDienst: 'Mobile service', MobilityLink: 'Mobility link', NothingNeeded: 'Nothing needed',
      Walk: 'walk', ReducedMobilityWalk: 'reduced mobility', Bike: 'bike', EBike: 'e-bike', BusWalk: 'bus',
    },
  };
  let lang = localStorage.getItem('sr-lang') || 'nl';
  const t = (k) => (T[lang] && T[lang][k]) || k;
  const $ = (id) => document.getElementById(id);
  const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  const palette = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#666666', '#1f78b4', '#b2df8a', '#fb9a99', '#cab2d6', '#ff7f00', '#6a3d9a', '#b15928', '#33a02c'];
  let categories = [];
  let selectedKern = null;
  let drawing = false;

  function applyLanguage() {
    document.documentElement.lang = lang;
    $('lang').textContent = lang === 'nl' ? 'EN' : 'NL';
    document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll('[data-i18n-placeholder]').forEach((el) => { el.placeholder = t(el.dataset.i18nPlaceholder); });
    renderLegend();
    if (selectedKern) showKern(selectedKern);
  }

  const map = new maplibregl.Map({
    container: 'map',
    attributionControl: false,
    style: {
      version: 8,
      sources: {
        municipalities: { type: 'vector', tiles: [location.origin + '/tiles/municipalities/{z}/{x}/{y}.mvt'], minzoom: 0, maxzoom: 16 },
        cells: { type: 'vector', tiles: [location.origin + '/tiles/population_units/{z}/{x}/{y}.mvt'], minzoom: 0, maxzoom: 16 },
      },
      layers: [
        { id: 'background', type: 'background', paint: { 'background-color': '#eef0e8' } },
        { id: 'cells', type: 'fill', source: 'cells', 'source-layer': 'population_units',
          paint: { 'fill-color': ['interpolate', ['linear'], ['coalesce', ['get', 'population'], 0], 0, '#eef0e8', 200, '#d9cfb8', 800, '#bfa98a'], 'fill-opacity': 0.7 } },
        { id: 'municipalities', type: 'line', source: 'municipalities', 'source-layer': 'municipalities', paint: { 'line-color': '#555', 'line-width': 1.5, 'line-dasharray': [3, 2] } },
      ],
    },
    center: [4.66, 51.03],
    zoom: 12,
  });
  map.addControl(new maplibregl.AttributionControl({ compact: false, customAttribution: '© OpenStreetMap contributors · ServiceReach' }));
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
  window.srMap = map;

  async function getJson(url) {
    const r = await fetch(url);
    if (!r.ok) throw new Error(url + ': ' + r.status);
    return r.json();
  }

  function renderLegend() {
    const stops = [[0, '#2e7d32'], [500, '#f9a825'], [2000, '#ef6c00'], [5000, '#b71c1c']];
    let html = '<h3>' + esc(t('legend')) + '</h3>' + stops.map(([v, c]) => '<span class="swatch" style="background:' + c + '"></span>' + v + ' ').join('');
    html += '<h3>' + esc(t('services')) + '</h3>' + categories.map((c, i) => '<span class="swatch" style="background:' + palette[i % palette.length] + '"></span>' + esc(lang === 'nl' ? c.nameNl : c.nameEn)).join('<br>');
    $('legend').innerHTML = html;
  }

  function catName(code) {
    const c = categories.find((x) => x.code === code);
    return c ? (lang === 'nl' ? c.nameNl : c.nameEn) : code;
  }

  async function loadData() {
    categories = await getJson('/api/categories');
    const services = await getJson('/api/service-points');
    for (const f of services.features) {
      const first = String(f.properties.categories || '').split(',')[0];
      f.properties.category = first;
      f.properties.colour = palette[Math.max(0, categories.findIndex((c) => c.code === first)) % palette.length];
    }
    const kernen = await getJson('/api/kernen');
    const box = kernen.features.reduce((b, f) => {
      const [x, y] = f.geometry.coordinates;
      return [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)];
    }, [180, 90, -180, -90]);
    map.addSource('streets', { type: 'geojson', data: '/api/streets' });
    map.addLayer({ id: 'streets', type: 'line', source: 'streets',
      paint: { 'line-color': ['match', ['get', 'highway'], ['primary', 'secondary', 'tertiary'], '#c9b26b', ['residential', 'unclassified', 'living_street'], '#9e9e9e', '#bdbdbd'],
        'line-width': ['match', ['get', 'highway'], ['primary', 'secondary'], 3, ['tertiary', 'residential', 'unclassified'], 2, 1] } }, 'municipalities');
    map.addSource('isochrones', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({ id: 'isochrones', type: 'fill', source: 'isochrones',
      paint: { 'fill-color': ['interpolate', ['linear'], ['get', 'minutes'], 5, '#1565c0', 15, '#90caf9', 30, '#e3f2fd'], 'fill-opacity': 0.45, 'fill-outline-color': '#0d47a1' } });
    map.addSource('services', { type: 'geojson', data: services });
    map.addLayer({ id: 'services', type: 'circle', source: 'services',
      paint: { 'circle-radius': 4, 'circle-color': ['get', 'colour'], 'circle-stroke-color': '#fff', 'circle-stroke-width': 1,
        'circle-opacity': ['match', ['get', 'status'], 'Open', 1, 0.35] } });
    map.addSource('kernen', { type: 'geojson', data: kernen });
    map.addLayer({ id: 'kernen', type: 'circle', source: 'kernen',
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['coalesce', ['get', 'population'], 0], 100, 9, 6000, 20],
        'circle-color': ['interpolate', ['linear'], ['coalesce', ['get', 'gap_score'], 0], 0, '#2e7d32', 500, '#f9a825', 2000, '#ef6c00', 5000, '#b71c1c'],
        'circle-stroke-color': '#222', 'circle-stroke-width': 1.5, 'circle-opacity': 0.85 } });
    map.addLayer({ id: 'kernen-labels', type: 'symbol', source: 'kernen',
      layout: { 'text-field': ['get', 'name'], 'text-size': 12, 'text-offset': [0, 1.6], 'text-anchor': 'top' },
      paint: { 'text-color': '#222', 'text-halo-color': '#fff', 'text-halo-width': 1.5 } });
    if (box[0] <= box[2]) map.fitBounds([[box[0], box[1]], [box[2], box[3]]], { padding: 60, duration: 0 });
    $('exports').innerHTML = ['kernen', 'service_points', 'population_units', 'municipalities', 'gaps', 'reach', 'network']
      .map((l) => '<a href="/api/exports/' + l + '.geojson" download>' + l + '</a>').join('');
    renderLegend();
    document.body.dataset.ready = '1';
  }

  async function showKern(id) {
    selectedKern = id;
    const k = await getJson('/api/kernen/' + id);
    $('kern').hidden = false;
    $('kern-name').textContent = k.name;
    $('kern-facts').innerHTML = esc(k.population) + ' ' + esc(t('residents')) + (k.population65Plus != null ? ' (65+: ' + esc(k.population65Plus) + ')' : '') +
      (k.gap ? ' · ' + esc(t('gap')) + ' <b>' + esc(k.gap.total) + '</b>' : '');
    if (k.advice) {
      $('kern-advice').innerHTML = '<div class="advice-primary" id="advice-primary" data-kind="' + esc(k.advice.primary) + '">' + esc(t(k.advice.primary)) + '</div>' +
        (k.advice.alsoConsider.length ? '<div class="muted">' + esc(t('also')) + ': ' + k.advice.alsoConsider.map((a) => esc(t(a))).join(', ') + '</div>' : '') +
        '<ul>' + k.advice.reasons.map((r) => '<li>' + esc(r) + '</li>').join('') + '</ul>';
    } else {
      $('kern-advice').textContent = '—';
    }
    const modes = [...new Set((k.reach || []).map((r) => r.mode))];
    const cats = [...new Set((k.reach || []).map((r) => r.category))];
    let html = '<table><tr><th>' + esc(t('category')) + '</th>' + modes.map((m) => '<th>' + esc(t(m)) + '</th>').join('') + '</tr>';
    for (const c of cats) {
      html += '<tr><td>' + esc(catName(c)) + '</td>' + modes.map((m) => {
        const r = k.reach.find((x) => x.category === c && x.mode === m);
        return '<td class="' + (r && r.withinThreshold ? '' : 'miss') + '" title="' + esc(r && r.nearestService) + '">' + (r && r.minutes != null ? esc(r.minutes) : '–') + '</td>';
      }).join('') + '</tr>';
    }
    $('kern-reach').innerHTML = html + '</table>';
    $('kern-notes').innerHTML = k.notes.length ? k.notes.map((n) => '<li><b>' + esc(n.author) + '</b>: ' + esc(n.text) + '</li>').join('') : '<li class="muted">' + esc(t('nonotes')) + '</li>';
    loadBus();
  }

  async function loadBus() {
    if (!selectedKern) return;
    const v = Number($('bus-slider').value);
    const hhmm = String(Math.floor(v / 60)).padStart(2, '0') + ':' + String(v % 60).padStart(2, '0');
    $('bus-time').textContent = hhmm;
    try {
      const b = await getJson('/api/kernen/' + selectedKern + '/bus?departure=' + hhmm + '&windowMinutes=30');
      $('kern-bus').innerHTML = '<table><tr><th>' + esc(t('category')) + '</th><th>p5</th><th>' + esc(t('median')) + '</th><th>p95</th></tr>' +
        b.categories.map((c) => '<tr><td>' + esc(catName(c.category)) + '</td><td>' + (c.p5Minutes ?? '–') + '</td><td class="' +
          (c.medianMinutes != null && c.medianMinutes <= c.thresholdMinutes ? '' : 'miss') + '">' + (c.medianMinutes ?? '–') + '</td><td>' + (c.p95Minutes ?? '–') + '</td></tr>').join('') + '</table>';
    } catch (e) {
      $('kern-bus').innerHTML = '<span class="muted">' + esc(e.message) + '</span>';
    }
  }

  async function drawIsochrone(lngLat) {
    $('iso-status').textContent = t('drawing');
    const mode = $('iso-mode').value;
    // Bus bands are the median over the 30 minutes after the chosen departure; longer limits, as buses go further.
    const bus = mode === 'bus';
    const url = '/api/isochrone?lon=' + lngLat.lng.toFixed(6) + '&lat=' + lngLat.lat.toFixed(6) + '&mode=' + mode +
      (bus ? '&minutes=15,30,45&departure=' + encodeURIComponent($('iso-departure').value || '07:30') + '&windowMinutes=30' : '&minutes=5,10,15');
    const r = await fetch(url);
    const body = await r.json();
    if (!r.ok) { $('iso-status').textContent = body.detail || r.status; return; }
    body.features.reverse(); // largest band first, so smaller bands draw on top
    map.getSource('isochrones').setData(body);
    $('iso-status').textContent = body.features.map((f) => f.properties.minutes + ' min: ' + f.properties.area_km2 + ' km²').join(' · ');
    document.body.dataset.isochrone = String(body.features.length);
  }

  map.on('click', (e) => {
    if (drawing) { drawing = false; drawIsochrone(e.lngLat); return; }
    const hit = map.queryRenderedFeatures(e.point, { layers: ['kernen'] });
    if (hit.length) showKern(hit[0].properties.id);
  });
  map.on('mouseenter', 'kernen', () => { map.getCanvas().style.cursor = 'pointer'; });
  map.on('mouseleave', 'kernen', () => { map.getCanvas().style.cursor = ''; });
  $('iso-mode').addEventListener('change', () => { $('iso-departure-label').hidden = $('iso-mode').value !== 'bus'; });
  $('iso-draw').addEventListener('click', () => { drawing = true; $('iso-status').textContent = t('clickmap'); });
  $('iso-clear').addEventListener('click', () => { map.getSource('isochrones').setData({ type: 'FeatureCollection', features: [] }); $('iso-status').textContent = ''; });
  $('bus-slider').addEventListener('change', loadBus);
  $('bus-slider').addEventListener('input', () => {
    const v = Number($('bus-slider').value);
    $('bus-time').textContent = String(Math.floor(v / 60)).padStart(2, '0') + ':' + String(v % 60).padStart(2, '0');
  });
  $('lang').addEventListener('click', () => { lang = lang === 'nl' ? 'en' : 'nl'; localStorage.setItem('sr-lang', lang); applyLanguage(); });
  $('note-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const key = $('apikey').value;
    if (!key) { $('note-status').textContent = t('needkey'); return; }
    const r = await fetch('/api/kernen/' + selectedKern + '/notes', {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Api-Key': key },
      body: JSON.stringify({ author: $('note-author').value, text: $('note-text').value }),
    });
    const body = await r.json().catch(() => ({}));
    $('note-status').textContent = r.ok ? t('saved') : (body.detail || r.status);
    if (r.ok) { $('note-text').value = ''; showKern(selectedKern); }
  });

  applyLanguage();
  map.on('load', () => { loadData().catch((e) => { document.body.dataset.error = e.message; console.error(e); }); });
})();

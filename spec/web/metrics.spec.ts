/** `/metrics` scraped after known traffic, and read back as Prometheus text. */
import { expect } from 'chai';
import { ServerMetrics } from '../../lib/web/metrics.js';
import { E2E } from '../e2e/support.js';
import { getApi, parseMetrics, startWithWeb } from './support.js';

describe('metrics', () => {
  const e2e = new E2E();
  afterEach(() => e2e.cleanup());

  it('counts commands by tool, command and status, and reads the cameras and the pool', async () => {
    const { url, port } = await startWithWeb(e2e);
    const client = await e2e.connect(port);
    for (let i = 0; i < 3; i++) await client.raw('tempcon.get_temperatures');
    await client.raw('exposure.set_exposuretime abc');
    await client.raw('"unbalanced');
    await getApi(`${url}/api/exposure/get_status`);

    const response = await fetch(`${url}/metrics`);
    expect(response.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
    const samples = parseMetrics(await response.text());
    expect(samples.get('azcam_commands_total{tool="tempcon",command="get_temperatures",status="OK"}')).to.equal(3);
    expect(samples.get('azcam_commands_total{tool="exposure",command="set_exposuretime",status="ERROR"}')).to.equal(1);
    expect(samples.get('azcam_commands_total{tool="unknown",command="unknown",status="ERROR"}')).to.equal(1);
    expect(samples.get('azcam_commands_total{tool="exposure",command="get_status",status="OK"}')).to.equal(1);
    // The server's own reading (these gauges, the status feed) is not counted as clients' commands.
    expect([...samples.keys()].some((key) => key.includes('command="get_exposureflag"'))).to.equal(false);
    expect(samples.get('azcam_command_duration_seconds_count{kind="light"}')).to.equal(6); // the unparsable line too
    expect(samples.get('azcam_connections_open')).to.equal(1);
    expect(samples.get('azcam_readout_pool_threads')).to.equal(1);
    expect(samples.get('azcam_readout_pool_live_threads')).to.equal(0); // started by the first readout
    expect(samples.get('azcam_readout_pool_busy_threads')).to.equal(0);
    expect(samples.get('azcam_readout_queue_depth')).to.equal(0);
    expect(samples.get('azcam_exposure_state{camera="cam1"}')).to.equal(0);
    expect(samples.get('azcam_temperature_celsius{camera="cam1",sensor="setpoint"}')).to.equal(-110);
    expect(samples.get('azcam_temperature_celsius{camera="cam1",sensor="ccd"}')).to.be.closeTo(-110, 1);
    expect(samples.has('nodejs_eventloop_lag_p99_seconds')).to.equal(true);
  });

  it('times heavy commands apart from light ones, and counts readouts, their stages and bytes', async () => {
    const { url, port } = await startWithWeb(e2e);
    const client = await e2e.connect(port);
    await client.raw('exposure.expose 0 zero');
    const samples = parseMetrics(await (await fetch(`${url}/metrics`)).text());
    expect(samples.get('azcam_command_duration_seconds_count{kind="heavy"}')).to.equal(1);
    expect(samples.get('azcam_command_duration_seconds_sum{kind="heavy"}')).to.be.greaterThan(0);
    expect(samples.get('azcam_readouts_total{result="written"}')).to.equal(1);
    expect(samples.get('azcam_images_written_total')).to.equal(1);
    expect(samples.get('azcam_image_bytes_written_total')).to.be.greaterThan(2048 * 2048 * 2);
    for (const stage of ['simulate', 'encode', 'preview', 'write']) {
      expect(samples.get(`azcam_readout_stage_duration_seconds_count{stage="${stage}"}`), stage).to.equal(1);
    }
  });

  it('counts connections opened, closed and refused', async () => {
    const metrics = new ServerMetrics({ threads: 2, liveThreads: 2, busyThreads: 1, queueSize: 3 });
    metrics.observeConnection('opened');
    metrics.observeConnection('opened');
    metrics.observeConnection('closed');
    metrics.observeConnection('refused');
    const samples = parseMetrics(await metrics.text());
    expect(samples.get('azcam_connections_open')).to.equal(1);
    expect(samples.get('azcam_connections_refused_total')).to.equal(1);
    expect(samples.get('azcam_readout_pool_busy_threads')).to.equal(1);
    expect(samples.get('azcam_readout_queue_depth')).to.equal(3);
  });
});

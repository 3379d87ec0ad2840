import { expect } from 'chai';
import { ExposureProgress, outcomeOf } from '../../scripts/client/progress.js';
import { completeFrom } from '../../scripts/client/repl.js';
import { isCommand, isHangUp } from '../../scripts/client/session.js';

describe('scripts/client parts', () => {
  describe('progress display', () => {
    const status = (exposurestate: string, progressbar: number) => ({ exposurestate, progressbar, filename: 'f.fits', message: '' });

    it('never goes backwards within a phase, and starts each phase on a bar of its own', () => {
      const progress = new ExposureProgress();
      progress.show(status('SETUP', 0));
      expect(progress.shown).to.deep.equal({ phase: '', percent: 0 });
      progress.show(status('EXPOSING', 88));
      progress.show(status('EXPOSING', 80));
      expect(progress.shown).to.deep.equal({ phase: 'integrating', percent: 88 });
      progress.show(status('READOUT', 6));
      expect(progress.shown).to.deep.equal({ phase: 'reading out', percent: 6 });
      progress.pause();
    });

    it('draws nothing while held (a Ctrl-C question is on screen)', () => {
      const progress = new ExposureProgress();
      progress.show(status('EXPOSING', 10));
      progress.hold();
      progress.show(status('EXPOSING', 50));
      expect(progress.shown.phase).to.equal('');
      progress.release();
      progress.show(status('EXPOSING', 60));
      expect(progress.shown).to.deep.equal({ phase: 'integrating', percent: 60 });
      progress.pause();
    });

    it('ends with the file written, or the reason it was not', () => {
      expect(outcomeOf(status('NONE', 0))).to.equal('written f.fits');
      expect(outcomeOf({ ...status('NONE', 0), message: 'aborted' })).to.equal('aborted');
    });
  });

  it('completes command names, also after help', () => {
    const complete = completeFrom(['echo', 'exposure', 'exposure.expose', 'exposure.expose1', 'help', 'tempcon.get_temperatures']);
    expect(complete('exposure.exp')).to.deep.equal([['exposure.expose', 'exposure.expose1'], 'exposure.exp']);
    expect(complete('help temp')).to.deep.equal([['tempcon.get_temperatures'], 'temp']);
    expect(complete('exposure.expose 1 ')).to.deep.equal([[], 'exposure.expose 1 ']);
  });

  it('skips blank and comment lines, and knows the commands that hang up', () => {
    expect(['echo a', '  # note', '', '   '].map(isCommand)).to.deep.equal([true, false, false, false]);
    expect(['closeconnection', ' EXIT ', 'exit now', 'echo'].map(isHangUp)).to.deep.equal([true, true, false, false]);
  });
});

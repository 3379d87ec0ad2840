import { expect } from 'chai';
import { fitsFloat } from '../../lib/readout/fits.js';
import { HeaderKeywords, MAX_CLIENT_KEYWORDS } from '../../lib/camera/header.js';
import { CameraHarness } from './harness.js';

describe('header keywords', () => {
  describe('through the exposure tool', () => {
    let h: CameraHarness;

    beforeEach(() => {
      h = new CameraHarness();
    });
    afterEach(() => h.cleanup());

    it('has the camera keywords, kept current', async () => {
      expect(await h.send('exposure.get_keyword EXPTIME')).to.equal("OK 1.0 'Exposure time (seconds)' float");
      await h.send('set_par exposuretime 2.5');
      expect(await h.send('exposure.get_keyword EXPTIME')).to.equal("OK 2.5 'Exposure time (seconds)' float");
      expect(await h.send('exposure.get_keyword IMAGETYP')).to.equal("OK object 'Image type' str");
      await h.send('exposure.set_image_type FLAT'); // kept as given; the keyword takes it lower-cased, as azcam's begin
      expect(await h.send('exposure.get_keyword IMAGETYP')).to.equal("OK flat 'Image type' str");
      await h.send('exposure.set_image_type object');
      expect(await h.send('exposure.get_keyword OBJECT')).to.equal("OK 'Image title' str");
      expect(await h.send('exposure.get_keyword DETECTOR')).to.equal("OK tiny 'Detector name' str");
      expect(await h.send('exposure.get_keyword INSTRUME')).to.equal("OK azcam-sim 'Instrument name' str");
      expect(await h.send('exposure.get_keyword FILTER')).to.equal("OK clear 'Filter name' str");
      expect(await h.send('exposure.get_keyword DATE-OBS')).to.equal("OK 2025-01-01T00:00:00.000 'UTC shutter opened' str");
      expect(await h.send('exposure.get_keyword CAMTEMP')).to.match(/^OK -1(09|10)\.\d{1,3} 'Camera temperature in C' float$/);
      expect(await h.send('exposure.get_keyword TEMPUNIT')).to.equal("OK C 'Temperature units' str");
      expect(await h.send('exposure.get_keyword DEWTEMP')).to.match(/^OK -1(69|70)\.\d{1,3} 'Dewar temperature in C' float$/);
    });

    it("lists the keywords sorted, as azcam's Header.get_keywords sorts them", async () => {
      await h.send('exposure.set_keyword OBSERVER Ann');
      await h.send('exposure.set_keyword AIRMASS 1.2');
      expect(await h.send('exposure.get_keywords')).to.equal(
        'OK AIRMASS CAMTEMP DATE-OBS DETECTOR DEWTEMP EXPREQ EXPTIME FILTER IMAGETYP INSTRUME OBJECT OBSERVER TEMPUNIT',
      );
      expect(await h.send('tempcon.get_keywords')).to.equal(await h.send('exposure.get_keywords'));
    });

    it("reads the header as azcam's read_header replies it: a Python list per keyword, sorted, unquoted", async () => {
      await h.send(`exposure.set_keyword OBSERVER "Bob's" "Who observed"`);
      await h.send('exposure.set_keyword AIRMASS 1.2 "" float');
      await h.send('exposure.set_keyword SERIALNO 16 "Serial number" int');
      const reply = await h.send('exposure.read_header');
      const lists = reply.slice('OK '.length).match(/\[[^\]]*\]/g)!;
      expect(reply.startsWith('OK [')).to.equal(true);
      expect(lists.map((list) => /^\['([^']+)'/.exec(list)![1])).to.deep.equal([
        'AIRMASS', 'CAMTEMP', 'DATE-OBS', 'DETECTOR', 'DEWTEMP', 'EXPREQ', 'EXPTIME', 'FILTER', 'IMAGETYP', 'INSTRUME', 'OBJECT', 'OBSERVER', 'SERIALNO', 'TEMPUNIT',
      ]);
      expect(lists).to.include.members([
        "['AIRMASS', 1.2, '', 'float']",
        "['SERIALNO', 16, 'Serial number', 'int']",
        `['OBSERVER', "Bob's", 'Who observed', 'str']`,
        "['EXPTIME', 1.0, 'Exposure time (seconds)', 'float']",
      ]);
    });

    it('sets a keyword with a comment and a type, or infers the type', async () => {
      expect(await h.send('exposure.set_keyword OBSERVER "Jane Doe" "Observer name"')).to.equal('OK');
      expect(await h.send('exposure.get_keyword OBSERVER')).to.equal("OK 'Jane Doe' 'Observer name' str");
      await h.send('exposure.set_keyword VIDGAIN 2');
      expect(await h.send('exposure.get_keyword VIDGAIN')).to.equal("OK 2  int");
      await h.send('exposure.set_keyword SERIALNO 12345678901234567890');
      expect(await h.send('exposure.get_keyword SERIALNO')).to.equal("OK 12345678901234567890  int");
      await h.send('exposure.set_keyword NOISE1 3.50 "Read noise (e-)"');
      expect(await h.send('exposure.get_keyword NOISE1')).to.equal("OK 3.5 'Read noise (e-)' float");
      await h.send('exposure.set_keyword RUNID 0042 "" str');
      expect(await h.send('exposure.get_keyword RUNID')).to.equal("OK 0042  str");
      await h.send('exposure.set_keyword SCALE 3 "" float');
      expect(await h.send('exposure.get_keyword SCALE')).to.equal("OK 3.0  float");
    });

    it("strips a value's surrounding white space, as azcam's set_keyword does, and keeps the comment's", async () => {
      expect(await h.send('exposure.set_keyword OBSERVER "  Jane Doe " " the observer "')).to.equal('OK');
      expect(await h.send('exposure.get_keyword OBSERVER')).to.equal("OK 'Jane Doe' ' the observer ' str");
      expect(await h.send('exposure.set_keyword VIDGAIN " 2 "')).to.equal('OK');
      expect(await h.send('exposure.get_keyword VIDGAIN')).to.equal("OK 2  int");
    });

    it('keeps every digit of an int, as astropy writes a Python int, if the card holds it', async () => {
      expect(await h.send('exposure.set_keyword SERIALNO 12345678901234567890 board int')).to.equal('OK');
      expect(await h.send('exposure.get_keyword SERIALNO')).to.equal('OK 12345678901234567890 board int');
      expect(await h.send(`exposure.set_keyword WIDE ${'9'.repeat(71)} "" int`)).to.equal('ERROR FITS integer value for WIDE too long: at most 70 characters fit a card');
    });

    it("converts an int value as azcam's set_keyword does, with Python's int(): no point, exponent or hex", async () => {
      const refusal = (value: string) => `ERROR invalid keyword value: ${value} (int: an optional sign and decimal digits, as Python int() reads them)`;
      for (const value of ['5.0', '5.', '5e3', '0x10', '1__000', '_1', '+']) {
        expect(await h.send(`exposure.set_keyword VIDGAIN ${value} "" int`), value).to.equal(refusal(value));
      }
      expect(await h.send('exposure.set_keyword VIDGAIN "" "" int')).to.equal(refusal(''));
      expect(await h.send('exposure.set_keyword EQUINOX 2000.5 "" int')).to.equal(refusal('2000.5'));
      expect(await h.send('exposure.get_keyword VIDGAIN')).to.equal('ERROR unknown keyword: VIDGAIN');
      const accepted: [string, string][] = [['5', '5'], ['" 5 "', '5'], ['+5', '5'], ['-5', '-5'], ['-0', '0'], ['007', '7'], ['1_000', '1000']];
      for (const [value, read] of accepted) {
        expect(await h.send(`exposure.set_keyword VIDGAIN ${value} "" int`), value).to.equal('OK');
        expect(await h.send('exposure.get_keyword VIDGAIN'), value).to.equal(`OK ${read}  int`);
      }
    });

    it("converts a float value with Python's float(), underscores included; a value FITS cannot hold is refused", async () => {
      const accepted: [string, string][] = [['5', '5.0'], ['" 2.5 "', '2.5'], ['5e3', '5000.0'], ['.5', '0.5'], ['1_000.5', '1000.5']];
      for (const [value, read] of accepted) {
        expect(await h.send(`exposure.set_keyword SCALE ${value} "" float`), value).to.equal('OK');
        expect(await h.send('exposure.get_keyword SCALE'), value).to.equal(`OK ${read}  float`);
      }
      for (const value of ['0x10', '1._5', 'inf', 'nan', '1e999']) {
        expect(await h.send(`exposure.set_keyword SCALE ${value} "" float`), value).to.equal(
          `ERROR invalid keyword value: ${value} (float: a finite decimal number, as Python float() reads it)`,
        );
      }
    });

    it('takes keyword names in any case and replaces an earlier value', async () => {
      await h.send('exposure.set_keyword observer Ann');
      await h.send('exposure.set_keyword OBSERVER Bob');
      expect(await h.send('exposure.get_keyword Observer')).to.equal("OK Bob  str");
    });

    it('refuses what cannot go into a FITS header', async () => {
      const refused: [string, string][] = [
        ['TOOLONGKEY 1', 'ERROR invalid FITS keyword: TOOLONGKEY'],
        ['"BAD KEY" 1', 'ERROR invalid FITS keyword: BAD KEY'],
        ['NOTE "caf\u00e9"', 'ERROR FITS header value for NOTE must be printable ASCII'],
        ['NOTE ok "caf\u00e9"', 'ERROR FITS comment for NOTE must be printable ASCII'],
        ['COMMENT hello', 'ERROR FITS keyword COMMENT takes no value'],
        ['NAXIS1 10', 'ERROR keyword NAXIS1 is reserved: written by the server or not allowed by the FITS standard'],
        ['BITPIX 8', 'ERROR keyword BITPIX is reserved: written by the server or not allowed by the FITS standard'],
        ['EXPTIME 5', 'ERROR keyword EXPTIME is set by the camera'],
        ['VIDGAIN abc "" int', 'ERROR invalid keyword value: abc (int: an optional sign and decimal digits, as Python int() reads them)'],
        ['VIDGAIN 1 "" bool', 'ERROR invalid keyword type: bool (use str, int, float)'],
        ['VIDGAIN', 'ERROR missing value'],
        ['VIDGAIN 1 c int extra', 'ERROR too many arguments: expected at most 4, got 5'],
      ];
      for (const [args, reply] of refused) {
        expect(await h.send(`exposure.set_keyword ${args}`), args).to.equal(reply);
      }
      expect(await h.send('exposure.get_keyword VIDGAIN')).to.equal('ERROR unknown keyword: VIDGAIN');
    });

    it('refuses every keyword the readout writes or the FITS standard reserves', async () => {
      const reserved = ['BLANK -31798 "" int', 'EXTNAME im1', 'TFIELDS 1', 'THEAP 0', 'BLOCKED T', 'CHECKSUM x', 'DATASUM 0', 'DETSIZE x', 'DATASEC x', 'INHERIT F', 'EXTVER 2', 'TFORM12 E', 'naxis3 1'];
      for (const args of reserved) {
        expect(await h.send(`exposure.set_keyword ${args}`), args).to.match(/^ERROR keyword \S+ is reserved: written by the server or not allowed by the FITS standard$/);
      }
      expect(await h.send('exposure.get_keywords')).not.to.match(/BLANK|EXTNAME|TFIELDS|CHECKSUM/);
    });

    it('holds standard keywords to the type and form the FITS standard fixes', async () => {
      const refused: [string, string][] = [
        ['WCSAXES two', 'ERROR invalid keyword value: two (int: an optional sign and decimal digits, as Python int() reads them)'],
        ['WCSAXES 2.5 "" float', 'ERROR keyword WCSAXES must be of type int'],
        ['WCSAXES 2.5', 'ERROR invalid keyword value: 2.5 (int: an optional sign and decimal digits, as Python int() reads them)'],
        ['WCSAXES 2.0 "" int', 'ERROR invalid keyword value: 2.0 (int: an optional sign and decimal digits, as Python int() reads them)'],
        ["DATE-BEG 'not a date'", 'ERROR invalid keyword value for DATE-BEG: not a date (must be a date, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss[.sss])'],
        ['DATE-AVG 2025-13-01', 'ERROR invalid keyword value for DATE-AVG: 2025-13-01 (must be a date, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss[.sss])'],
        ['EQUINOX J2000', 'ERROR invalid keyword value: J2000 (float: a finite decimal number, as Python float() reads it)'],
        ['EQUINOX 2000 "" str', 'ERROR keyword EQUINOX must be of type float or int'],
        ['RADESYS 42', 'ERROR invalid keyword value for RADESYS: 42 (must be one of ICRS, FK5, FK4, FK4-NO-E, GAPPT)'],
        ['OBSERVER 42 "" int', 'ERROR keyword OBSERVER must be of type str'],
        ['CRPIX1 center', 'ERROR invalid keyword value: center (float: a finite decimal number, as Python float() reads it)'],
      ];
      for (const [args, reply] of refused) {
        expect(await h.send(`exposure.set_keyword ${args}`), args).to.equal(reply);
      }
      const accepted: [string, string][] = [
        ['WCSAXES 2', "OK 2  int"],
        ['WCSAXES 3.0', "OK 3  int"],
        ['WCSAXES 4e0', "OK 4  int"],
        ['DATE-BEG 2025-01-02T03:04:05.5', "OK 2025-01-02T03:04:05.5  str"],
        ['EQUINOX 2000', "OK 2000.0  float"],
        ['RADESYS ICRS', "OK ICRS  str"],
        ['OBSERVER 42', "OK 42  str"],
        ['CRPIX1 512', "OK 512.0  float"],
      ];
      for (const [args, reply] of accepted) {
        expect(await h.send(`exposure.set_keyword ${args}`), args).to.equal('OK');
        expect(await h.send(`exposure.get_keyword ${args.split(' ')[0]}`), args).to.equal(reply);
      }
    });

    it('refuses a value or comment that does not fit one FITS card', async () => {
      expect(await h.send(`exposure.set_keyword NOTE ${'x'.repeat(68)}`)).to.equal('OK');
      expect(await h.send(`exposure.set_keyword NOTE ${'x'.repeat(69)}`)).to.equal('ERROR keyword value for NOTE too long: at most 68 characters fit a FITS card');
      expect(await h.send(`exposure.set_keyword NOTE "${"'".repeat(35)}"`)).to.match(/^ERROR keyword value for NOTE too long/);
      expect(await h.send(`exposure.set_keyword NOTE x ${'c'.repeat(73)}`)).to.equal('ERROR comment for NOTE too long: at most 72 characters');
    });

    it(`bounds the keywords a client may set at ${MAX_CLIENT_KEYWORDS}`, async () => {
      const sets = Array.from({ length: MAX_CLIENT_KEYWORDS }, (_, i) => h.send(`exposure.set_keyword K${i} ${i}`));
      expect(new Set(await Promise.all(sets))).to.deep.equal(new Set(['OK']));
      expect(await h.send('exposure.set_keyword ONEMORE 1')).to.equal(`ERROR too many keywords: at most ${MAX_CLIENT_KEYWORDS} may be set`);
      expect(await h.send('exposure.set_keyword K7 changed')).to.equal('OK');
      expect(await h.send('exposure.get_keyword K7')).to.equal("OK changed  str");
    });

    it('answers an unknown keyword with ERROR', async () => {
      expect(await h.send('exposure.get_keyword NOSUCH')).to.equal('ERROR unknown keyword: NOSUCH');
      expect(await h.send('exposure.get_keyword')).to.equal('ERROR missing keyword');
    });
  });

  describe('snapshot', () => {
    let exptime: number;
    const header = () => new HeaderKeywords({ EXPTIME: { type: 'float', comment: 'Exposure time (seconds)', read: () => exptime } });

    beforeEach(() => {
      exptime = 1;
    });

    it('makes FITS cards, floats marked as such', () => {
      const keywords = header();
      keywords.set('VIDGAIN', '2', 'e-/ADU');
      keywords.set('OBSERVER', 'Ann');
      expect(keywords.snapshot()).to.deep.equal([
        { key: 'EXPTIME', value: fitsFloat(1), comment: 'Exposure time (seconds)' },
        { key: 'VIDGAIN', value: 2, comment: 'e-/ADU' },
        { key: 'OBSERVER', value: 'Ann', comment: '' },
      ]);
    });

    it('makes an int past 2^53 a bigint card, every digit kept', () => {
      const keywords = header();
      keywords.set('SERIALNO', '12345678901234567890', 'board', 'int');
      expect(keywords.snapshot()[1]).to.deep.equal({ key: 'SERIALNO', value: 12345678901234567890n, comment: 'board' });
    });

    it('is frozen: later changes do not reach it', () => {
      const keywords = header();
      keywords.set('OBSERVER', 'Ann');
      const cards = keywords.snapshot();
      exptime = 9;
      keywords.set('OBSERVER', 'Bob');
      keywords.set('EXTRA', 'x');
      expect(cards.map((card) => card.value)).to.deep.equal([fitsFloat(1), 'Ann']);
      expect(Object.isFrozen(cards)).to.equal(true);
      expect(cards.every((card) => Object.isFrozen(card))).to.equal(true);
    });

    it('takes the exposure\'s own value of a camera keyword', () => {
      expect(header().snapshot({ EXPTIME: 0 })[0]).to.deep.equal({ key: 'EXPTIME', value: fitsFloat(0), comment: 'Exposure time (seconds)' });
    });
  });

  describe('setAll', () => {
    const header = () => new HeaderKeywords({ EXPTIME: { type: 'float', comment: 'Exposure time (seconds)', read: () => 1 } });

    it('sets every keyword, a later one keeping an earlier one\'s comment', () => {
      const keywords = header();
      keywords.setAll([
        { name: 'OBSERVER', raw: 'Ann', comment: 'who' },
        { name: 'EQUINOX', raw: '2000', type: 'int' },
        { name: 'OBSERVER', raw: 'Bob' },
      ]);
      expect(keywords.snapshot().slice(1)).to.deep.equal([
        { key: 'OBSERVER', value: 'Bob', comment: 'who' },
        { key: 'EQUINOX', value: fitsFloat(2000), comment: '' },
      ]);
    });

    it('sets none when one is refused, and names its origin', () => {
      const keywords = header();
      expect(() => keywords.setAll([{ name: 'OBSERVER', raw: 'Ann', origin: 'line 1' }, { name: 'EXPTIME', raw: '2', origin: 'line 2' }])).to.throw(
        'line 2: keyword EXPTIME is set by the camera',
      );
      expect(keywords.names()).to.deep.equal(['EXPTIME']);
    });

    it(`refuses a batch that would pass ${MAX_CLIENT_KEYWORDS} keywords`, () => {
      const keywords = header();
      const settings = Array.from({ length: MAX_CLIENT_KEYWORDS + 1 }, (_, i) => ({ name: `K${i}`, raw: `${i}` }));
      expect(() => keywords.setAll(settings)).to.throw(`too many keywords: at most ${MAX_CLIENT_KEYWORDS} may be set`);
      expect(keywords.names()).to.deep.equal(['EXPTIME']);
    });
  });
});

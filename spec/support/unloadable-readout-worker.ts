/** A readout worker whose module fails to load, as a broken install's would; loaded through a pool's `filename` option, never imported. */
throw new Error('injected load failure');

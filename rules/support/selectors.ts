/** The selector and port helpers live in the model (the engine's main-container guess reads them too). */
export * from '../../src/model/selectors.js';

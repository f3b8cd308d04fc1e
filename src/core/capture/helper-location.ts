// Where the dedicated capture helper lives: its file name, its directory in a build (out/) and in a
// packaged app (resources/), and the capture library's addon that sits beside it.

/** The helper executable (a Node single-executable application, see scripts/build-capture-helper.mjs). */
export const HELPER_NAME = process.platform === 'win32' ? 'wireladder-capture.exe' : 'wireladder-capture';
/** out/capture-helper in a build, resources/capture-helper in a packaged app. */
export const HELPER_DIR = 'capture-helper';
/** `cap`'s addon, built for the helper's Node.js, loaded from the helper's own directory only. */
export const HELPER_ADDON = 'cap.node';

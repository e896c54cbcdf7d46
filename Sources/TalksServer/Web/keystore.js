// Keys kept in this browser's IndexedDB, as CryptoKey objects: a key made not extractable stays
// so, and no key kept here is ever sent anywhere. One database per use ("shuttle-signing",
// "shuttle-sealing"), one object store of named entries.
const STORE = "keys";

function database(name) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

// Reads entry `name` of database `db`, or, given a `value`, writes it.
export async function keep(db, name, value) {
  const opened = await database(db);
  return new Promise((resolve, reject) => {
    const transaction = opened.transaction(STORE, value === undefined ? "readonly" : "readwrite");
    const store = transaction.objectStore(STORE);
    const request = value === undefined ? store.get(name) : store.put(value, name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

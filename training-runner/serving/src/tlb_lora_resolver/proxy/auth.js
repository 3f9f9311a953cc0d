// Keys, scopes and the two routes of the model server that need a key (nginx.conf says why).
//
// `tlb_keys` is the keys file (nginx.conf's js_preload_object): a JSON object from the SHA-256
// of each key, in hex, to the repository it belongs to, `owner/repo` in lowercase. Only hashes
// are stored. nginx's master process reads it at start and on reload (SIGHUP), so workers need
// no access to it and a key added or revoked takes effect at the next reload.

import crypto from 'crypto';

const ADAPTER_PREFIX = 'tlb/';

function fail(r, status, type, message) {
    r.headersOut['Content-Type'] = 'application/json';
    r.return(status, JSON.stringify({ error: { message: message, type: type, code: status } }) + '\n');
}

function repositoryOfKey(r) {
    const header = r.headersIn['Authorization'] || '';
    const match = header.match(/^Bearer ([\x21-\x7e]{16,256})$/);
    if (!match) {
        return null;
    }
    const repository = tlb_keys[crypto.createHash('sha256').update(match[1]).digest('hex')];
    return typeof repository === 'string' ? repository : null;
}

function authenticate(r) {
    const repository = repositoryOfKey(r);
    if (repository === null) {
        fail(r, 401, 'unauthorized', 'Missing or unknown API key. Send the key for this repository as a Bearer token.');
        return null;
    }
    r.variables.tlb_repository = repository;
    return repository;
}

// The base model and this repository's adapters, nothing else: another repository's adapter
// was trained on that repository's private review comments.
function allowedModel(repository, model) {
    return model === process.env.TLB_PROXY_BASE_MODEL || model.startsWith(ADAPTER_PREFIX + repository + '/');
}

function relay(r, reply) {
    const contentType = reply.headersOut['Content-Type'];
    if (contentType) {
        r.headersOut['Content-Type'] = contentType;
    }
    r.return(reply.status, reply.responseText);
}

async function chatCompletions(r) {
    const repository = authenticate(r);
    if (repository === null) {
        return;
    }
    let body;
    try {
        body = JSON.parse(r.requestText || '');
    } catch (e) {
        fail(r, 400, 'invalid_request_error', 'The request body is not JSON.');
        return;
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body) || typeof body.model !== 'string') {
        fail(r, 400, 'invalid_request_error', 'The request body must be a JSON object with a "model" string.');
        return;
    }
    if (!allowedModel(repository, body.model)) {
        fail(r, 403, 'permission_denied', 'This key may use the base model and ' + ADAPTER_PREFIX + repository + '/* only.');
        return;
    }
    // vLLM gets the body as parsed here, so the model it serves is the model checked
    // (a body with two "model" keys cannot be read one way here and another way there).
    const reply = await r.subrequest('/_vllm/v1/chat/completions', { method: 'POST', body: JSON.stringify(body) });
    relay(r, reply);
}

async function models(r) {
    const repository = authenticate(r);
    if (repository === null) {
        return;
    }
    const reply = await r.subrequest('/_vllm/v1/models', { method: 'GET' });
    if (reply.status !== 200) {
        relay(r, reply);
        return;
    }
    // vLLM lists every loaded adapter; their names say which repositories use the server.
    const listing = JSON.parse(reply.responseText);
    listing.data = listing.data.filter((model) => allowedModel(repository, model.id));
    r.headersOut['Content-Type'] = 'application/json';
    r.return(200, JSON.stringify(listing));
}

function upstreamAuthorization() {
    return 'Bearer ' + process.env.TLB_PROXY_UPSTREAM_KEY;
}

export default { chatCompletions, models, upstreamAuthorization };

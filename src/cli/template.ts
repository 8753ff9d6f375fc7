/** The commented voicegw.yaml that `voicegw init` writes. It must load as is (a test checks it). */
export const CONFIG_TEMPLATE = `# voicegw.yaml: voicegateway configuration (https://www.npmjs.com/package/voicegateway)
#
# Found at: $VOICEGW_CONFIG, ./voicegw.yaml, or ~/.config/voicegateway/voicegw.yaml (or pass --config).
# \${VAR} is replaced by the environment variable VAR, so keys need not be written here.
# Money is USD. Check the file with: npx voicegw status

# ---------------------------------------------------------------------------------------------
# Providers: API keys and endpoints. A model string "provider/model[:variant]" picks one, e.g.
# deepgram/nova-3:en (STT), openai/gpt-4.1-mini (LLM), cartesia/sonic-3:<voice-id> (TTS).
# Without api_key the usual variable is read (DEEPGRAM_API_KEY, OPENAI_API_KEY, ...).
# Keys are never logged or returned by the API/CLI (shown masked as sk-a…1f2b at most).
# ---------------------------------------------------------------------------------------------
providers:
  deepgram:
    api_key: \${DEEPGRAM_API_KEY}
  openai:
    api_key: \${OPENAI_API_KEY}
  cartesia:
    api_key: \${CARTESIA_API_KEY}
  # Local models run as servers; tests and offline setups point these at localhost.
  ollama:
    base_url: http://localhost:11434/v1
  # groq:
  #   api_key: \${GROQ_API_KEY}
  #   enabled: false             # keep the entry but refuse to route to it

# ---------------------------------------------------------------------------------------------
# Projects: one per agent, tenant or environment. Every request is metered to a project.
# daily_budget is USD per calendar day (0 = no limit); budget_action says what happens at 100%:
#   warn     - log once per day and carry on
#   throttle - route to local/cheaper chain entries, else slow requests down
#   block    - refuse with BudgetExceededError
# Projects defined here are read-only at run time; the API/CLI can add runtime projects.
# ---------------------------------------------------------------------------------------------
projects:
  customer-support:
    name: Customer Support
    description: Inbound support line
    daily_budget: 25.00
    budget_action: throttle
    tags: [production]
    # budget_timezone: America/New_York      # this project's day boundary (default: budget_timezone)
    # throttle_delay_ms: 1000                # how much a throttled request is slowed when no cheaper entry exists
    # budget_block_message: Sorry, this line is closed for today.
    # providers:                             # per-project keys win over the top-level ones
    #   openai:
    #     api_key: \${SUPPORT_OPENAI_API_KEY}
    fallbacks:                               # tried in order when the primary fails before any output
      llm: [openai/gpt-4.1-mini, ollama/qwen2.5:3b]
    guardrails:
      enabled: true
      categories:
        pii: redact                          # redact | block | alert | off
        financial: redact
        medical: alert
        prompt_injection: block              # or { action: block, classifier: true }: also the built-in classifier
      # block_message: I can't help with that.
      # region: US                           # phone-number region for PII detection

  sandbox:
    name: Sandbox
    daily_budget: 1.00
    budget_action: block
    tags: [dev]

# Requests with no project (no setProject(), no $VOICEGW_ACTIVE_PROJECT) go here.
# Without it they go to "default" (created automatically: no budget, action warn).
default_project: customer-support

# Fallback chains for every project without its own (tried in order on errors before output).
fallbacks:
  stt: [deepgram/nova-3]
  tts: [cartesia/sonic-3]

# Budgets reset at local midnight in this IANA time zone.
budget_timezone: UTC
# budget:
#   throttle_delay_ms: 1000
#   cache_ttl_ms: 2000                       # how long spend written by other processes may be cached
#   project_refresh_ms: 1000                 # how soon runtime project edits reach every process

# routing:
#   attempt_timeout_ms: 10000                # an attempt with no output by then moves to the next entry
#   cooldown_ms: 30000                       # a failing provider is skipped for this long
#   retries:                                 # per chain entry, before the chain moves on
#     max_attempts: 4                        # the first included (1 = no retries)
#     base_delay_ms: 100                     # doubles per retry; a Retry-After is honoured
#     max_delay_ms: 2000

# Global guardrails for projects without their own block.
# guardrails:
#   enabled: false

# ---------------------------------------------------------------------------------------------
# The ledger: every provider attempt with units, cost, latency and status.
# SQLite by default (relative paths are relative to this file); PostgreSQL for fleets.
# ---------------------------------------------------------------------------------------------
cost_tracking:
  enabled: true
  db_path: ./voicegw.db
  # database_url: \${VOICEGW_DB_URL}          # postgres://user:pass@host:5432/db wins over db_path

# ---------------------------------------------------------------------------------------------
# voicegw serve / dashboard: HTTP API, /metrics and the dashboard on one port.
# ---------------------------------------------------------------------------------------------
server:
  host: 127.0.0.1                            # beyond loopback only with auth.api_keys (refused otherwise)
  port: 8080
  allowed_hosts: []                          # Host/Origin names besides loopback (e.g. voice.internal.example)

# API bearer tokens. With none configured (and no $VOICEGW_API_KEY) auth is off.
# Scopes nest: read (GET) < write (create/edit/delete runtime projects) < admin (audit log).
auth:
  api_keys: []
  # api_keys:
  #   - token: \${VOICEGW_ADMIN_TOKEN}
  #     name: ops
  #     scopes: [admin]
  #   - token: \${VOICEGW_GRAFANA_TOKEN}
  #     name: grafana
  #     scopes: [read]

# Prices override or extend the built-in catalog (USD). Unknown models are recorded as unpriced,
# never as $0. A key ending in /* prices every model of a provider.
# prices:
#   stt:
#     "deepgram/nova-3": { per_minute: 0.0043 }             # or per_hour
#   llm:
#     "openai/gpt-4.1-mini": { input_per_1m: 0.40, output_per_1m: 1.60, cached_input_per_1m: 0.10 }
#   tts:
#     "cartesia/sonic-3": { per_1m_characters: 30 }         # or per_character
#     "piper/*": { per_1m_characters: 0, source: local }
`;

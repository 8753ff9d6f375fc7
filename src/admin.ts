import type { z } from 'zod';
import { VoiceGatewayError } from './errors.js';
import type { Gateway } from './gateway.js';
import type { AuditEvent, StoredProject } from './ledger/types.js';
import { ConfigError } from './errors.js';
import type { GuardrailsConfig } from './config/schema.js';
import { applyGuardrailEdit, checkGuardrailPolicy, type GuardrailEdit, guardrailEditSchema } from './project-guardrails.js';
import { type Project, type ProjectInput, projectInputSchema, type ProjectPatch, projectPatchSchema, settingsOf } from './projects.js';

/** Why a project write was refused; surfaces map `code` to HTTP status / exit code. */
export class ProjectWriteError extends VoiceGatewayError {
  constructor(
    readonly code: 'not_found' | 'read_only' | 'conflict' | 'invalid',
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface Actor {
  name: string;
  source: AuditEvent['source'];
}

/** Runtime project writes (CLI/API/MCP/dashboard): validated, persisted in the ledger, audit-logged. */
export class ProjectAdmin {
  constructor(private readonly gw: Gateway) {}

  async create(input: ProjectInput, actor: Actor): Promise<Project> {
    const p = parse(projectInputSchema, input);
    this.#checkGuardrails(p.guardrails);
    await this.gw.ready;
    if (this.gw.project(p.id)) throw new ProjectWriteError('conflict', `Project '${p.id}' already exists`, 'id');
    const now = this.gw.clock();
    await this.gw.ledger.upsertProject(toStored(p.id, p, now, now));
    await this.#audit(actor, 'project.create', p.id, p);
    await this.gw.reloadProjects();
    return this.gw.requireProject(p.id);
  }

  async update(id: string, patch: ProjectPatch, actor: Actor): Promise<Project> {
    const changes = parse(projectPatchSchema, patch);
    const current = this.#writable(id);
    if (changes.guardrails) this.#checkGuardrails(changes.guardrails);
    await this.gw.ready;
    const stored = (await this.gw.ledger.listProjects()).find((s) => s.id === id);
    if (!stored) throw new ProjectWriteError('not_found', `Project '${id}' not found (deleted meanwhile)`, 'id');
    const next: StoredProject = {
      ...stored,
      name: changes.name ?? stored.name,
      description: changes.description ?? stored.description,
      dailyBudgetUsd: changes.daily_budget ?? stored.dailyBudgetUsd,
      budgetAction: changes.budget_action ?? stored.budgetAction,
      tags: changes.tags ?? stored.tags,
      updatedAt: this.gw.clock(),
      settings: { ...stored.settings, ...settingsOf(changes) },
    };
    await this.gw.ledger.upsertProject(next);
    await this.#audit(actor, 'project.update', current.id, changes);
    // budget, action and settings are looked up live: reservations in flight stay held
    await this.gw.reloadProjects();
    return this.gw.requireProject(id);
  }

  /**
   * Steers a runtime project's guardrails (docs/guardrails.md, "Operators"): each named category
   * gets its action, `null` returns it to the top-level default; setting an action turns the
   * project's guardrails on. Stored in the project's settings like any edit, so every process
   * has it within `budget.project_refresh_ms`; sessions already running keep their snapshot.
   */
  async editGuardrails(id: string, edit: GuardrailEdit, actor: Actor): Promise<Project> {
    const e = parse(guardrailEditSchema, edit);
    const { stored } = await this.#storedWritable(id);
    let guardrails;
    try {
      guardrails = applyGuardrailEdit(stored.settings.guardrails, e, this.gw.config.guardrails);
    } catch (err) {
      if (err instanceof ConfigError) throw new ProjectWriteError('invalid', err.message, err.path);
      throw err;
    }
    return this.#saveGuardrails(stored, guardrails, actor, 'project.guardrails', e);
  }

  /** Removes a runtime project's own guardrail settings: it follows the top-level `guardrails:` again. */
  async clearGuardrails(id: string, actor: Actor): Promise<Project> {
    const { stored } = await this.#storedWritable(id);
    return this.#saveGuardrails(stored, undefined, actor, 'project.guardrails.clear', { previous: stored.settings.guardrails ?? null });
  }

  async #storedWritable(id: string): Promise<{ current: Project; stored: StoredProject }> {
    const p = this.gw.project(id);
    if (p?.source === 'yaml') {
      throw new ProjectWriteError('read_only', `Project '${id}' is defined in voicegw.yaml, so its guardrails are read-only at run time: edit projects.${id}.guardrails in voicegw.yaml instead (run-time edits apply to projects created at run time)`, 'id');
    }
    const current = this.#writable(id);
    await this.gw.ready;
    const stored = (await this.gw.ledger.listProjects()).find((s) => s.id === id);
    if (!stored) throw new ProjectWriteError('not_found', `Project '${id}' not found (deleted meanwhile)`, 'id');
    return { current, stored };
  }

  async #saveGuardrails(stored: StoredProject, guardrails: unknown, actor: Actor, action: string, detail: unknown): Promise<Project> {
    const { guardrails: _previous, ...rest } = stored.settings;
    const settings = guardrails === undefined ? rest : { ...rest, guardrails };
    await this.gw.ledger.upsertProject({ ...stored, updatedAt: this.gw.clock(), settings });
    await this.#audit(actor, action, stored.id, detail);
    await this.gw.reloadProjects();
    return this.gw.requireProject(stored.id);
  }

  async delete(id: string, actor: Actor): Promise<Project> {
    const current = this.#writable(id);
    await this.gw.ready;
    await this.gw.ledger.deleteProject(id);
    await this.#audit(actor, 'project.delete', id, { name: current.name });
    await this.gw.reloadProjects();
    return current;
  }

  /** A policy no session could compile (off_topic without a topic …) is refused before it is stored. */
  #checkGuardrails(guardrails: GuardrailsConfig | undefined): void {
    try {
      checkGuardrailPolicy(guardrails, this.gw.config.guardrails);
    } catch (err) {
      if (err instanceof ConfigError) throw new ProjectWriteError('invalid', err.message, err.path ?? 'guardrails');
      throw err;
    }
  }

  #writable(id: string): Project {
    const p = this.gw.project(id);
    if (!p) throw new ProjectWriteError('not_found', `Project '${id}' not found`, 'id');
    if (p.source !== 'runtime') {
      throw new ProjectWriteError(
        'read_only',
        p.source === 'yaml' ? `Project '${id}' is defined in voicegw.yaml and is read-only at run time; edit the YAML instead` : `Project '${id}' is built in and cannot be changed`,
        'id',
      );
    }
    return p;
  }

  #audit(actor: Actor, action: string, target: string, detail: unknown): Promise<void> {
    return this.gw.ledger.audit({ ts: this.gw.clock(), actor: actor.name, source: actor.source, action, target, detail: JSON.stringify(detail) });
  }
}

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, v: unknown): T {
  const r = schema.safeParse(v);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.map(String).join('.');
  throw new ProjectWriteError('invalid', `${field || 'body'}: ${issue.message}`, field || undefined);
}

function toStored(id: string, p: z.output<typeof projectInputSchema>, createdAt: number, updatedAt: number): StoredProject {
  return { id, name: p.name, description: p.description, dailyBudgetUsd: p.daily_budget, budgetAction: p.budget_action, tags: p.tags, createdAt, updatedAt, settings: settingsOf(p) };
}

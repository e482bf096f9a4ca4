import type { Page } from 'playwright-core';
import type { Task, TaskDraft } from '../../src/api/types';
import { baseUrl } from './browser';

/** Direct API calls as the signed-in user of `page`, for setting up data and checking results. */
export class ApiAs {
  private constructor(private readonly token: string) {}

  static async of(page: Page): Promise<ApiAs> {
    // The session cookie is HttpOnly (the page's scripts cannot read it); the browser context can.
    const cookie = (await page.context().cookies()).find(({ name }) => name === 'todo_session');
    if (!cookie) throw new Error('the page has no signed-in user');
    return new ApiAs(cookie.value);
  }

  async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  async createTask(draft: Partial<TaskDraft> & { title: string }): Promise<Task> {
    const { status, body } = await this.request<Task>('POST', '/api/tasks', draft);
    if (status !== 201 && status !== 200)
      throw new Error(`POST /api/tasks answered ${status}: ${JSON.stringify(body)}`);
    return body;
  }

  async getTask(id: string) {
    return this.request<Task>('GET', `/api/tasks/${id}`);
  }

  async listTasks(query: string): Promise<Task[]> {
    const { body } = await this.request<{ items: Task[] }>('GET', `/api/tasks?${query}`);
    return body.items;
  }
}

import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection, Type } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { SandboxStore } from '../app/features/sandbox/sandbox.store';

/** A card of the Sandbox page under test, and the http calls it makes. Test code only. */
export interface SandboxCardTest<T> {
  fixture: ComponentFixture<T>;
  http: HttpTestingController;
  root: HTMLElement;
}

/** Creates the card as the Sandbox page has it: with the page's store, and a router for its links. */
export function createSandboxCard<T>(card: Type<T>): SandboxCardTest<T> {
  TestBed.configureTestingModule({
    imports: [card],
    providers: [
      provideZonelessChangeDetection(),
      provideHttpClient(),
      provideHttpClientTesting(),
      provideRouter([]),
      SandboxStore,
    ],
  });
  const http = TestBed.inject(HttpTestingController);
  const fixture = TestBed.createComponent(card);
  return { fixture, http, root: fixture.nativeElement as HTMLElement };
}

/** Lets the card's promise chain run (a macrotask), then renders. */
export async function settleCard(fixture: ComponentFixture<unknown>): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve));
  await fixture.whenStable();
  fixture.detectChanges();
}

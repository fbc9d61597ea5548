import type { DeliveryFaults } from '../webhook-sender/delivery-faults';

/** The secrets signing a destination's deliveries right now (the previous one only during its overlap). */
export interface DestinationSecret {
  id: string;
  secret: string | null;
  previous_secret: string | null;
  previous_secret_expires_at: string | null;
  request_id?: string;
}

/** A destination's delivery faults; null when none are set. */
export interface DestinationFaults {
  id: string;
  faults: DeliveryFaults | null;
  request_id?: string;
}

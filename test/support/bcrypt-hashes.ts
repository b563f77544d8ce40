/**
 * Fixed bcrypt hashes of "password123" (cost 10, one salt), as other implementations write them:
 * Python's bcrypt (the seed demo) and bcryptjs 3 write `$2b$`, older bcryptjs and PHP `$2a$` and
 * `$2y$`. Kept as text, so that the tests need no second bcrypt implementation.
 */
export const SEED_HASH = '$2b$10$UH/twQyFcTN0BwaZVNbZtehfXNRyiNJlI5vl9KoyVKRPFKUXY8kTm';
export const SEED_HASH_2A = '$2a$10$UH/twQyFcTN0BwaZVNbZtehfXNRyiNJlI5vl9KoyVKRPFKUXY8kTm';
export const SEED_HASH_2Y = '$2y$10$UH/twQyFcTN0BwaZVNbZtehfXNRyiNJlI5vl9KoyVKRPFKUXY8kTm';

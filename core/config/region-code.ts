/** An AWS region code in the config, with a "did you mean" hint on a typo. Its own file so every config section can use it. */
import { z } from 'zod';
import { AWS_REGION_CODES } from '../regions';
import { regionCodeMessage } from './region-code-message';

export const regionCodeSchema = z.enum(AWS_REGION_CODES as [string, ...string[]], { error: regionCodeMessage });

export { setup as default } from './request-count-report';
